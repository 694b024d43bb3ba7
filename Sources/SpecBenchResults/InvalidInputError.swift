import SpecBenchCore

/// `InvalidInput` under a name the executable can catch without importing the core module.
public typealias InvalidInputError = InvalidInput
