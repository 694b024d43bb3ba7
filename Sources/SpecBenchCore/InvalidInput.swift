/// Bad input from a user: a file, a flag value, a config entry. Carries a message that names the
/// bad value and says what is accepted. The command line turns it into exit code 64.
public struct InvalidInput: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what is accepted, in one or two sentences.
    public let message: String

    /// An error with a user-facing message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
