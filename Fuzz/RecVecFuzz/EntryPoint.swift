// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

// libFuzzer entry points. Built only by `scripts/fuzz.sh` (RECVEC_FUZZ=1, `-sanitize=fuzzer,address`,
// `-parse-as-library`). SwiftPM links an executable's `main` to `<module>_main`, so this module
// defines that and hands over to libFuzzer's driver, which calls the two functions below. The
// target is chosen with RECVEC_FUZZ_TARGET (`list` prints their names).

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver: parses its flags, runs the inputs, and returns the exit status.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("RecVecFuzz_main")
public func fuzzerMain(
    _ argc: Int32,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzerTestOneInput(data, size) }
}

/// The target this process fuzzes, chosen once in `LLVMFuzzerInitialize`.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    guard let raw = getenv("RECVEC_FUZZ_TARGET") else {
        fail("set RECVEC_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
    }
    let name = String(cString: raw)
    if name == "list" {  // `scripts/fuzz.sh` asks for the names, one a line
        print(FuzzTarget.all.map(\.name).joined(separator: "\n"))
        exit(0)
    }
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        fail("unknown RECVEC_FUZZ_TARGET '\(name)'; one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
    }
    target.setUp()
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    selected!.run(bytes)
    return 0
}

/// Ends the process with `message`: libFuzzer reports a crash and keeps the input.
func fail(_ message: String) -> Never {
    var line = "recvec-fuzz: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}
