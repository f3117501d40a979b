import Foundation
import Synchronization

#if FUZZING
    /// The target this fuzzer process fuzzes, read once from `SWITCHBOARD_FUZZ_TARGET`.
    let fuzzTarget: FuzzTarget = {
        switch FuzzTarget.named(ProcessInfo.processInfo.environment[FuzzTarget.environmentVariable]) {
        case .success(let target): return target
        case .failure(let error):
            FileHandle.standardError.write(
                Data("SwitchboardFuzz: \(error) (set \(FuzzTarget.environmentVariable))\n".utf8))
            exit(2)
        }
    }()

    /// libFuzzer's entry point: runs the input through the chosen target to its end, so any trap,
    /// overflow, runaway loop or memory growth in a parser shows up as a crash, timeout or OOM.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let target = fuzzTarget
        Blocking.run { _ = await target.run(bytes) }
        return 0
    }

    /// Checks the target name before the first input, so a wrong name stops libFuzzer at once.
    @_cdecl("LLVMFuzzerInitialize")
    public func fuzzInitialize(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
    ) -> CInt {
        _ = fuzzTarget
        return 0
    }
#else
    /// Replays files through the same harness the fuzzer uses (`swift run SwitchboardFuzz TARGET
    /// FILE...`), so an input the fuzzer found can be reproduced and debugged in a normal build.
    @main
    struct SwitchboardFuzzReplay {
        static func main() {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first else {
                print("usage: SwitchboardFuzz TARGET FILE...  (TARGET: \(FuzzTarget.names))")
                return
            }
            let target: FuzzTarget
            switch FuzzTarget.named(name) {
            case .success(let named): target = named
            case .failure(let error):
                FileHandle.standardError.write(Data("SwitchboardFuzz: \(error)\n".utf8))
                exit(2)
            }
            guard arguments.count >= 2 else {
                FileHandle.standardError.write(
                    Data("SwitchboardFuzz: give the files to replay after the target\n".utf8))
                exit(2)
            }
            var unreadable = false
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    unreadable = true
                    continue
                }
                let summary = Mutex("")
                let bytes = Array(data)
                Blocking.run {
                    let text = await target.run(bytes)
                    summary.withLock { $0 = text }
                }
                print("\(path): \(summary.withLock { $0 })")
            }
            if unreadable { exit(1) }
        }
    }
#endif
