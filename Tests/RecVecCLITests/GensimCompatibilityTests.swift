// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// gensim reads the vectors we export. Runs only where the peers' virtualenv exists
/// (`../shared/peers/setup.sh`, or `RECVEC_PEERS_PY=/path/to/python`); skipped elsewhere.
struct GensimCompatibilityTests {
    static let python: String? = {
        if let p = ProcessInfo.processInfo.environment["RECVEC_PEERS_PY"],
            FileManager.default.isExecutableFile(atPath: p)
        {
            return p
        }
        let p = NSHomeDirectory() + "/.cache/recvec-peers/bin/python"
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }()

    @Test(.enabled(if: python != nil, "needs gensim in the peers' virtualenv"))
    func gensimLoadsOurTextAndBinaryExports() throws {
        let cli = CLITests()
        let corpus = cli.plantedCorpus()
        let model = cli.file("g.rvmodel")
        #expect(
            try cli.run([
                "train", "--input", corpus, "--output", model, "--dim", "12", "--epochs", "3",
                "--min-count", "1", "--threads", "1", "--sample", "0", "--quiet",
            ]).status == 0
        )
        let ours = try cli.run(["similar", model, "g1_0", "--top", "3"]).stdout
            .split(separator: "\n").map { String($0.split(separator: "\t")[1]) }
        for (format, binary) in [("word2vec-text", "False"), ("word2vec-binary", "True")] {
            let path = cli.file("v-\(format)")
            #expect(try cli.run(["export", model, "--format", format, "--output", path]).status == 0)
            let script = """
                from gensim.models import KeyedVectors
                kv = KeyedVectors.load_word2vec_format('\(path)', binary=\(binary))
                print(len(kv), kv.vector_size)
                print(' '.join(k for k, _ in kv.most_similar('g1_0', topn=3)))
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.python!)
            process.arguments = ["-c", script]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let lines = text.split(separator: "\n")
            #expect(lines.first == "20 12", "\(format): \(text)")
            #expect(lines.count == 2 && lines[1].split(separator: " ").map(String.init) == ours, "\(format): \(text)")
        }
    }
}
