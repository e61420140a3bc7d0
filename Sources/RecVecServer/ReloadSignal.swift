// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
internal import _RecVecPlatform

extension ModelStore {
    /// Reloads the model whenever the process receives SIGHUP (`kill -HUP PID`). Keep the returned
    /// source alive for as long as the signal should be handled.
    public func reloadOnHangup() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)  // the dispatch source sees it; the default action would end the process
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "recvec.serve.sighup"))
        source.setEventHandler { [self] in
            logger.info("SIGHUP: reloading the model")
            Task { try? await self.reload() }  // a failure is logged and counted by reload()
        }
        source.resume()
        return source
    }
}
