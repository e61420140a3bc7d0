// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `train --model als|bpr`, then `similar` on items and `recommend --history user:ID --scoring dual`.
struct FactorizationCLITests {
    let cli = CLITests()

    /// 60 users of two planted groups: user uN (N even) rates 6 of the items a0…a9, N odd 6 of b0…b9.
    func events() -> String {
        var lines = ["user_id\titem_id\ttimestamp"]
        var random = SplitMix(seed: 3)
        func next(_ n: Int) -> Int { random.next(n) }
        for u in 0..<60 {
            var items = Array(0..<10)
            for i in stride(from: 9, to: 0, by: -1) { items.swapAt(i, next(i + 1)) }
            for (t, i) in items.prefix(6).enumerated() {
                lines.append("u\(u)\t\(u % 2 == 0 ? "a" : "b")\(i)\t\(1_700_000_000 + u * 86_400 + t * 60)")
            }
        }
        return cli.write("events.tsv", lines.joined(separator: "\n") + "\n")
    }

    @Test func trainALSThenRecommendForAUser() throws {
        let data = events()
        let model = cli.file("als.rvmodel")
        let train = try cli.run([
            "train", "--input", data, "--format", "events", "--model", "als", "--factors", "2", "--iterations", "8",
            "--regularization", "1", "--min-count", "1", "--threads", "1", "--output", model,
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("epoch 8/8: loss"))

        for user in ["u0", "u7"] {
            let r = try cli.run([
                "recommend", model, "--history", "user:\(user)", "--scoring", "dual", "--top", "3", "--json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let tokens = (json["recommendations"] as! [[String: Any]]).map { $0["token"] as! String }
            let own = user == "u0" ? "a" : "b"
            #expect(tokens.count == 3 && tokens.allSatisfy { $0.hasPrefix(own) }, "\(user): \(tokens)")
        }
        let similar = try cli.run(["similar", model, "b4", "--top", "4", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as! [String: Any]
        let neighbours = (json["neighbors"] as! [[String: Any]]).map { $0["token"] as! String }
        #expect(neighbours.count == 4 && neighbours.allSatisfy { $0.hasPrefix("b") }, "\(neighbours)")
    }

    @Test func trainBPRAndEvaluateBoth() throws {
        let data = events()
        let train = try cli.run([
            "train", "--input", data, "--format", "events", "--model", "bpr", "--dim", "8", "--iterations", "40",
            "--bpr-learning-rate", "0.1", "--min-count", "1", "--threads", "1",
            "--quiet", "--output", cli.file("bpr.rvmodel"),
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let r = try cli.run([
            "evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "popularity,als,bpr",
            "--min-count", "1", "--dim", "4", "--iterations", "8", "--threads", "1", "--top", "1,5",
            "--json", cli.file("e.json"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| als |") && r.stdout.contains("| bpr |"))
    }

    @Test func badFactorizationOptionsFailInOneLine() throws {
        let data = events()
        cli.expectFailure(
            try cli.run([
                "train", "--input", data, "--format", "events", "--model", "als", "--als-alpha=-1",
                "--output", cli.file("x.rvmodel"),
            ]),
            "--als-alpha: must be positive"
        )
        cli.expectFailure(
            try cli.run([
                "train", "--input", data, "--format", "events", "--model", "als", "--regularization", "0",
                "--output", cli.file("x.rvmodel"),
            ]),
            "--regularization: ALS needs a positive λ"
        )
        cli.expectFailure(
            try cli.run([
                "evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "bpr",
                "--bpr-learning-rate", "0",
            ]),
            "--bpr-learning-rate: must be positive"
        )
        #expect(!cli.exists("x.rvmodel"))
    }
}

extension FactorizationCLITests {
    /// `--optimizer adagrad` trains BPR and the shared kernel's models and is written in the model;
    /// models with their own trainers (ALS, EASE, content2vec) refuse it by name.
    @Test func adagradTrainsBPRAndTheKernelModels() throws {
        let corpus = cli.plantedCorpus()
        for model in ["bpr", "item2vec"] {
            let file = cli.file("\(model).rvmodel")
            let ok = try cli.run([
                "train", "--model", model, "--input", corpus, "--output", file, "--dim", "8", "--epochs", "3",
                "--min-count", "1", "--threads", "1", "--optimizer", "adagrad", "--quiet",
            ])
            #expect(ok.status == 0, "\(ok.stderr)")
            let info = try cli.run(["info", file, "--json"])
            #expect(
                info.stdout.contains("\"optimizer\" : \"adagrad\"")
                    || info.stdout.contains("\"optimizer\":\"adagrad\""),
                "\(info.stdout)"
            )
        }
        let refused = try cli.run([
            "train", "--model", "als", "--input", corpus, "--output", cli.file("a.rvmodel"), "--optimizer",
            "adagrad",
        ])
        cli.expectFailure(refused, "--optimizer: adagrad is available for bpr, skipgram, cbow, item2vec")
        cli.expectFailure(refused, "so far; als trains with sgd")
        #expect(!cli.exists("a.rvmodel"))
        let hierarchical = try cli.run([
            "train", "--model", "item2vec", "--input", corpus, "--output", cli.file("h.rvmodel"), "--optimizer",
            "adagrad", "--loss", "hierarchical",
        ])
        cli.expectFailure(hierarchical, "--optimizer: adagrad trains the negative-sampling loss so far")
        #expect(!cli.exists("h.rvmodel"))
    }
}
