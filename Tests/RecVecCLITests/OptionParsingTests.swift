// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RecVecCore
import Testing

@testable import recvec

/// The options reach the model: each option group parsed in-process, set to a non-default value,
/// and checked in the configuration the model `evaluate` and `tune` build receives.
@Suite struct OptionParsingTests {
    static let common = ["--input", "events.tsv", "--protocol", "leave-last-out"]

    /// The models `evaluate` would build from `arguments`.
    func evaluated(_ arguments: [String], metadata: ItemMetadata? = nil) throws -> [any RecommenderModel] {
        let command = try EvaluateCommand.parse(Self.common + arguments)
        var settings = try command.evaluation.modelSettings(training: command.training)
        settings.metadata = metadata
        return try command.evaluation.modelNames.map { try ModelRegistry.recommender($0, settings: settings) }
    }

    /// The one model `tune` would start its search from.
    func tunedBase(_ arguments: [String]) throws -> any RecommenderModel {
        let command = try TuneCommand.parse(Self.common + ["--trials", "2"] + arguments)
        let run = try command.tuningRun(base: command.evaluation.modelSettings(training: command.training))
        return try ModelRegistry.recommender(run.models[0], settings: run.base)
    }

    @Test func engineOptions() throws {
        let arguments = [
            "--models", "prod2vec", "--dim", "17", "--window", "3", "--window-mode", "fixed", "--negative", "7",
            "--per-pair-negatives", "--ns-exponent=-0.5", "--sample", "0", "--alpha", "0.03", "--min-alpha", "0.001",
            "--epochs", "3", "--threads", "1", "--seed", "9", "--negative-share", "2",
        ]
        for model in [try evaluated(arguments)[0], try tunedBase(arguments)] {
            let t = try #require(model as? EmbeddingRecommenderModel).training
            #expect(t.dim == 17 && t.window == 3 && t.windowMode == .fixed && t.negative == 7)
            #expect(t.perPairNegatives == true && t.nsExponent == -0.5 && t.sample == 0 && t.negativeShare == 2)
            #expect(t.alpha == 0.03 && t.minAlpha == 0.001 && t.epochs == 3 && t.threads == 1 && t.seed == 9)
            #expect(t.model == .prod2vec && t.architecture == .skipGram)
        }
    }

    @Test func item2vecUsesWholeSetsUnlessTold() throws {
        let models = try evaluated(["--models", "item2vec,prod2vec,cbow"])
        let modes = models.map { ($0 as! EmbeddingRecommenderModel).training.windowMode }
        #expect(modes == [.full, .shrink, .shrink])
        #expect((models[2] as! EmbeddingRecommenderModel).training.architecture == .cbow)
        let told = try evaluated(["--models", "item2vec", "--window-mode", "shrink"])
        #expect((told[0] as! EmbeddingRecommenderModel).training.windowMode == .shrink)
        // train: the same default.
        let train = try TrainCommand.parse(["--input", "x.txt", "--output", "m.rvmodel", "--model", "item2vec"])
        #expect(try train.training.definition().configuration(train.training.settings()).windowMode == .full)
    }

    @Test func itemModelsShareNegativesByFourContextsUnlessTold() throws {
        let models = try evaluated(["--models", "item2vec,prod2vec,bagged-prod2vec,skipgram"])
        let shares = models.map { ($0 as! EmbeddingRecommenderModel).training.resolvedNegativeShare }
        #expect(shares == [4, 4, 4, Int.max])
        let told = try evaluated(["--models", "item2vec,skipgram", "--negative-share", "2"])
        #expect(told.map { ($0 as! EmbeddingRecommenderModel).training.resolvedNegativeShare } == [2, 2])
        let whole = try evaluated(["--models", "item2vec", "--negative-share", "0"])
        #expect((whole[0] as! EmbeddingRecommenderModel).training.resolvedNegativeShare == Int.max)
        // train: the same defaults; plain train (text skip-gram) shares the whole window.
        let train = try TrainCommand.parse(["--input", "x.txt", "--output", "m.rvmodel", "--model", "prod2vec"])
        #expect(try train.training.definition().configuration(train.training.settings()).resolvedNegativeShare == 4)
        let plain = try TrainCommand.parse(["--input", "x.txt", "--output", "m.rvmodel"])
        #expect(
            try plain.training.definition().configuration(plain.training.settings()).resolvedNegativeShare == Int.max
        )
    }

    @Test func paragraphVectorOptions() throws {
        let arguments = ["--models", "pv-dbow", "--infer-epochs", "40", "--infer-alpha", "0.01", "--documents-only"]
        for model in [try evaluated(arguments)[0], try tunedBase(arguments)] {
            let pv = try #require(model as? ParagraphVectorModel)
            let p = try #require(pv.training.paragraph)
            #expect(p.inferEpochs == 40 && p.inferAlpha == 0.01 && !p.trainTokens)
            #expect(pv.config["infer_epochs"] == "40")
        }
    }

    @Test func sequenceModelOptions() throws {
        let arguments = ["--models", "bagged-prod2vec", "--max-gap", "2h", "--no-event-weights", "--no-global-context"]
        for model in [try evaluated(arguments)[0], try tunedBase(arguments)] {
            let o = try #require((model as? EmbeddingRecommenderModel)?.training.sequenceOptions)
            #expect(o.maxGap == 7200 && !o.useWeights && !o.useContextItems)
        }
    }

    @Test func metaProd2VecOptions() throws {
        var metadata = ItemMetadata()
        metadata.add(item: "a", field: "genre", value: "x")
        let arguments = [
            "--models", "meta-prod2vec", "--meta-lambda", "0.5", "--meta-lambda-mi", "0.2", "--meta-min-count", "2",
            "--meta-max-values", "3", "--metadata-fields", "genre",
        ]
        let model = try #require(try evaluated(arguments, metadata: metadata)[0] as? MetaProd2VecRecommenderModel)
        let m = try #require(model.training.meta)
        #expect(m.lambda == 0.5 && m.lambdaMI == 0.2 && m.minCount == 2 && m.maxValuesPerItem == 3)
        #expect(model.fields == ["genre"])
        // Group negatives reach the skip-gram models.
        let grouped = try evaluated(["--models", "item2vec", "--group-negatives", "genre:2"], metadata: metadata)[0]
        #expect(
            (grouped as? EmbeddingRecommenderModel)?.training.meta?.groupNegatives
                == GroupNegativesConfig(field: "genre", k: 2)
        )
    }

    @Test func content2vecOptions() throws {
        var metadata = ItemMetadata()
        metadata.add(item: "a", field: "title", value: "x")
        let arguments = [
            "--models", "content2vec", "--content-dropout", "0.25", "--content-min-count", "3",
            "--content-text-fields", "title,tag", "--content-centre", "--content-weighting", "idf",
        ]
        let model = try #require(try evaluated(arguments, metadata: metadata)[0] as? Content2vecRecommenderModel)
        let c = try #require(model.training.content)
        #expect(
            c.dropout == 0.25 && c.minCount == 3 && c.textFields == ["title", "tag"] && c.centre && c.weighting == .idf
        )
    }

    @Test func factorizationOptions() throws {
        let arguments = [
            "--models", "als", "--factors", "12", "--iterations", "3", "--regularization", "0.5", "--als-alpha", "10",
            "--als-confidence", "log", "--als-log-epsilon", "2", "--als-solver", "cg", "--als-cg-steps", "4",
            "--factor-init-scale", "0.2",
        ]
        for model in [try evaluated(arguments)[0], try tunedBase(arguments)] {
            let f = try #require((model as? FactorizationRecommenderModel)?.training.factorization)
            #expect(f.factors == 12 && f.iterations == 3 && f.regularization == 0.5 && f.alsAlpha == 10)
            #expect(
                f.confidence == .log && f.logEpsilon == 2 && f.solver == .cg && f.cgSteps == 4 && f.initScale == 0.2
            )
        }
        let bpr = try evaluated([
            "--models", "bpr", "--bpr-learning-rate", "0.1", "--bpr-final-learning-rate", "0.01",
            "--bpr-negative-exponent", "0.5", "--bpr-samples", "2", "--bpr-fold-in-steps", "50",
        ])[0]
        let f = try #require((bpr as? FactorizationRecommenderModel)?.training.factorization)
        #expect(f.bprLearningRate == 0.1 && f.bprFinalLearningRate == 0.01 && f.bprNegativeExponent == 0.5)
        #expect(f.bprSamples == 2 && f.bprFoldInSteps == 50)
    }

    @Test func evaluationModelOptions() throws {
        let arguments = [
            "--models", "mix,sknn", "--min-count", "2", "--scoring", "dual", "--last-n", "3", "--decay", "0.1",
            "--cooccurrence-window", "2", "--mix-alpha", "0.3", "--training-seed", "5",
        ]
        let models = try evaluated(arguments)
        let mix = try #require(models[0] as? MixModel)
        #expect(mix.alpha == 0.3 && mix.cooccurrence.window == 2 && mix.embedding.minCount == 2)
        #expect(mix.embedding.scoring == .dual && mix.embedding.weighting == HistoryWeighting(lastN: 3, decay: 0.1))
        #expect(mix.embedding.training.seed == 5)
        let sknn = try #require(models[1] as? SessionKNNModel)
        #expect(sknn.weighting == HistoryWeighting(lastN: 3, decay: 0.1))
    }

    @Test func sessionKNNOptions() throws {
        let arguments = [
            "--models", "vsknn,stan", "--vsknn-neighbors", "7", "--vsknn-sample", "70", "--vsknn-weighting", "log",
            "--vsknn-score-weighting", "quadratic", "--vsknn-idf", "2", "--stan-neighbors", "9", "--stan-sample", "90",
            "--stan-lambda-position", "0.5", "--stan-lambda-recency", "20", "--stan-lambda-neighbor", "4",
        ]
        let models = try evaluated(arguments)
        let v = try #require(models[0] as? VSKNNModel).vsknn
        #expect(v.neighbors == 7 && v.sample == 70 && v.weighting == .log && v.scoreWeighting == .quadratic)
        #expect(v.idfWeight == 2)
        let s = try #require(models[1] as? STANModel).stan
        #expect(s.neighbors == 9 && s.sample == 90 && s.lambdaPosition == 0.5 && s.lambdaRecency == 20)
        #expect(s.lambdaNeighbor == 4)
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(Self.common + ["--vsknn-weighting", "cubic"]) }
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(Self.common + ["--stan-lambda-recency", "0"]) }
    }

    @Test func easeOptions() throws {
        let arguments = ["--models", "ease", "--ease-lambda", "50", "--ease-max-items", "300", "--min-count", "2"]
        for model in [try evaluated(arguments)[0], try tunedBase(arguments)] {
            let ease = try #require(model as? EASEModel)
            #expect(ease.ease.lambda == 50 && ease.ease.maxItems == 300 && ease.minCount == 2)
        }
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(Self.common + ["--ease-lambda", "0"]) }
    }

    @Test func checksRunAtParseTime() throws {
        func message(_ arguments: [String]) -> String {
            do {
                _ = try TrainCommand.parse(["--input", "x.txt", "--output", "m.rvmodel"] + arguments)
                return ""
            } catch {
                return TrainCommand.message(for: error)
            }
        }
        #expect(message(["--dim", "0"]).contains("--dim: must be between 1 and 10000"))
        #expect(message(["--model", "no-such-model"]).contains("unknown model 'no-such-model'"))
        #expect(message(["--model", "popularity"]).contains("popularity does not train into a model file"))
        #expect(message(["--infer-epochs", "0"]).contains("--infer-epochs: must be between 1 and 10000"))
        #expect(message(["--als-alpha", "0"]).contains("--als-alpha: must be positive"))
        #expect(
            message(["--min-alpha", "1"]).contains("--min-alpha: must be between 0 and the starting learning rate")
        )
        // evaluate: unknown model names and bad cut-offs before any data is read.
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(Self.common + ["--models", "nope"]) }
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(Self.common + ["--top", "0"]) }
    }

    @Test func flagNamesForSettings() {
        #expect(FlagNames.flag(for: "min_count") == "--min-count")
        #expect(FlagNames.flag(for: "MODEL") == "MODEL")
        #expect(FlagNames.flag(for: "--json/--report") == "--json/--report")
        let mapped = FlagNames.mapped(ConfigurationError(setting: "meta_lambda_mi", "must be between 0 and 100"))
        #expect("\(mapped)" == "--meta-lambda-mi: must be between 0 and 100")
    }
}
