import SpecBenchCore
import SpecBenchMethods
import SpecBenchResults

extension MethodRun {
    /// The result every outcome of this run starts from, success, refusal or failure alike:
    /// the method's id, its effective parameters, its precision, and `status` with `message`.
    /// O(parameters).
    public func result(status: MethodStatus, message: String? = nil) -> MethodResult {
        var result = MethodResult(method: id, status: status, parameters: parameters)
        result.precision = precision
        result.message = message
        return result
    }
}
