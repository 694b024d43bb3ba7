import SpecBenchCore
import Foundation

/// A file the tool was writing could not take the data (a full disk, a file-size limit): what
/// `bench` reports in one line with exit 1. What was written before stays; a sweep continues
/// with `--resume` once there is room.
public struct WriteFailure: Error, CustomStringConvertible {
    /// The file being written.
    public let path: String
    /// The system's reason.
    public let reason: String

    /// The failure of writing `path`, from the error Foundation threw.
    public init(path: String, error: any Error) {
        self.path = path
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(code)))
        } else if (error as NSError).domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32((error as NSError).code)))
        } else {
            reason = (error as NSError).localizedDescription
        }
    }

    public var description: String { "cannot write '\(path)': \(reason)" }
}
