import CARPACK
import Foundation

/// The largest eigenvalues of a real symmetric operator given only by its product, by the
/// implicitly restarted Lanczos method (Sorensen 1992; Lehoucq, Sorensen & Yang, *ARPACK Users'
/// Guide*, 1998) as ARPACK-NG implements it (`dsaupd`/`dseupd`, mode 1, exact shifts).
///
/// Memory is bounded by the basis size `m` (`basisSize`): `m + 5` vectors of the operator's
/// dimension `N`, whatever the number of products. Each restart keeps the `count` wanted Ritz
/// vectors' directions and applies `m − count` new products; a product costs the caller's
/// closure plus O(N·m) for ARPACK's reorthogonalisation and O(N·m²/(m − count)) for the
/// restart. A Ritz pair `(θ, x)` is accepted once its residual estimate `‖M·x − θ·x‖` is at most
/// `tolerance·|θ|`, which bounds `θ`'s distance to an eigenvalue of `M` by the same amount.
///
/// ARPACK's Fortran keeps state between the calls of one solve, so solves are serialised
/// process-wide (one at a time); the product closure runs on the calling thread.
public enum SymmetricEigensolver {
    /// What a solve found.
    public struct Result: Sendable {
        /// The largest eigenvalues, descending.
        public var values: [Double]
        /// Their unit eigenvectors, one after another (`values.count·dimension` entries; empty
        /// when not asked for).
        public var vectors: [Double]
        /// Products of the operator with a vector.
        public var products: Int
        /// Implicit restarts ARPACK made.
        public var restarts: Int
    }

    /// ARPACK stopped without the wanted accuracy, or refused the problem.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// ARPACK's `info` code (1: restart budget used up; 3: no shifts could be applied;
        /// negative: an argument or internal error, see the ARPACK documentation of `dsaupd`).
        public let code: Int
        /// Products made before stopping.
        public let products: Int
        /// How many of the wanted values had converged.
        public let converged: Int
        public var description: String {
            switch code {
            case 1: return "ARPACK used up its restart budget after \(products) products with \(converged) value(s) converged"
            case 3: return "ARPACK could not apply shifts during a restart (try a larger basis) after \(products) products"
            default: return "ARPACK dsaupd/dseupd failed with info = \(code) after \(products) products"
            }
        }
    }

    private static let lock = NSLock()

    /// The `count` largest eigenvalues of the symmetric `dimension × dimension` operator whose
    /// product `multiply(x, &y)` sets `y = M·x` (both of length `dimension`; `y` arrives holding
    /// garbage). Requires `1 ≤ count < dimension`; `basisSize` is clamped to
    /// `count + 2 … dimension`. `start` (length `dimension`, nonzero) is the first Lanczos
    /// vector. `productBudget` bounds the products (rounded up to whole restarts). Time: the
    /// products plus O(N·basisSize) per product; memory O(N·(basisSize + count)).
    public static func largestEigenvalues(
        dimension: Int, count: Int, basisSize: Int, tolerance: Double, productBudget: Int,
        start: [Double], computeVectors: Bool, multiply: (_ x: [Double], _ y: inout [Double]) -> Void
    ) throws -> Result {
        precondition(count >= 1 && count < dimension, "SymmetricEigensolver: need 1 ≤ count < dimension")
        precondition(start.count == dimension, "SymmetricEigensolver: start vector of the wrong length")
        lock.lock()
        defer { lock.unlock() }

        let n = Int32(dimension)
        let nev = Int32(count)
        let ncv = Int32(min(dimension, max(basisSize, count + 2)))
        let basis = Int(ncv)
        var ido: Int32 = 0
        var info: Int32 = 1  // use `resid` as the start vector
        var residual = start
        var lanczosVectors = [Double](repeating: 0, count: dimension * basis)
        var parameters = [Int32](repeating: 0, count: 11)
        parameters[0] = 1  // exact shifts
        parameters[2] = Int32(clamping: max(1, (productBudget + basis - count - 1) / max(1, basis - count)))
        parameters[6] = 1  // mode 1: M·x = λ·x
        var pointers = [Int32](repeating: 0, count: 11)
        var work = [Double](repeating: 0, count: 3 * dimension)
        let workLength = basis * (basis + 8)
        var workLocal = [Double](repeating: 0, count: workLength)
        var x = [Double](repeating: 0, count: dimension)
        var y = [Double](repeating: 0, count: dimension)
        var products = 0

        while true {
            // ARPACK's own BLAS calls (reorthogonalisation: dgemv over the basis) on one thread:
            // they are memory-bound, and a threaded call leaves OpenBLAS's pool spinning through
            // the caller's next product.
            ThreadControl.sized(operations: 0) {
                dsaupd_c(&ido, "I", n, "LA", nev, tolerance, &residual, ncv, &lanczosVectors, n,
                         &parameters, &pointers, &work, &workLocal, Int32(workLength), &info)
            }
            guard ido == 1 || ido == -1 else { break }
            // ARPACK asks for y = M·x with x at workd[ipntr(1)] and y at workd[ipntr(2)] (1-based).
            let xStart = Int(pointers[0]) - 1, yStart = Int(pointers[1]) - 1
            x.withUnsafeMutableBufferPointer { destination in
                work.withUnsafeBufferPointer { source in
                    _ = destination.update(fromContentsOf: source[xStart..<(xStart + dimension)])
                }
            }
            multiply(x, &y)
            products += 1
            work.withUnsafeMutableBufferPointer { destination in
                y.withUnsafeBufferPointer { source in
                    _ = UnsafeMutableBufferPointer(rebasing: destination[yStart..<(yStart + dimension)])
                        .update(fromContentsOf: source)
                }
            }
        }
        let converged = Int(parameters[4])
        guard info == 0 else {
            throw Failure(code: Int(info), products: products, converged: converged)
        }
        var values = [Double](repeating: 0, count: count)
        var vectors = [Double](repeating: 0, count: computeVectors ? dimension * count : dimension)
        var select = [Int32](repeating: 0, count: basis)
        var extractInfo: Int32 = 0
        dseupd_c(computeVectors ? 1 : 0, "A", &select, &values, &vectors, n, 0, "I", n, "LA", nev, tolerance,
                 &residual, ncv, &lanczosVectors, n, &parameters, &pointers, &work, &workLocal,
                 Int32(workLength), &extractInfo)
        guard extractInfo == 0 else {
            throw Failure(code: Int(extractInfo), products: products, converged: converged)
        }
        // dseupd returns the values in ascending order; the vectors in the same order.
        let order = (0..<count).sorted { values[$0] > values[$1] }
        let sortedValues = order.map { values[$0] }
        var sortedVectors: [Double] = []
        if computeVectors {
            sortedVectors.reserveCapacity(dimension * count)
            for index in order { sortedVectors += vectors[(index * dimension)..<((index + 1) * dimension)] }
        }
        return Result(values: sortedValues, vectors: sortedVectors, products: products,
                      restarts: Int(parameters[2]))
    }
}
