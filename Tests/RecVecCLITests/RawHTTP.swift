// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

#if os(Linux)
private let streamSocket = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamSocket = SOCK_STREAM
private let sendFlags: Int32 = 0  // SO_NOSIGPIPE is set on the socket instead
#endif

/// A minimal HTTP/1.1 client for the tests of a running `recvec serve`: one request per connection
/// to 127.0.0.1 (`Connection: close`), read to the end, so a test knows exactly which requests
/// were sent, and whether each answer arrived whole. No connection pool, no retry.
enum RawHTTP {
    struct Answer: Sendable {
        var status: Int
        var body: String
    }

    /// Why a request got no complete answer.
    struct Failure: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    /// Sends one request and reads the whole answer; a failure when the connection fails, or the
    /// answer is malformed or shorter than its `Content-Length` (or its chunks).
    static func exchange(
        port: Int,
        _ method: String,
        _ target: String,
        headers: [String] = [],
        body: String? = nil
    ) -> Result<Answer, Failure> {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { return .failure(Failure(description: "socket: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var one: Int32 = 1
        #if !os(Linux)
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A bound on a hang (a server that never answers), far above any answer's time.
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            return .failure(Failure(description: "connect: \(String(cString: strerror(errno)))"))
        }
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for header in headers { request += header + "\r\n" }
        if let body { request += "Content-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + (body ?? "")
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, sendFlags) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .failure(Failure(description: "send: \(String(cString: strerror(errno)))")) }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                return .failure(
                    Failure(
                        description: "receive after \(answer.count) bytes: \(String(cString: strerror(errno)))"
                    )
                )
            }
            if n == 0 { break }
            answer.append(contentsOf: buffer[0..<n])
        }
        return parse(answer)
    }

    /// The status and body of a complete answer.
    static func parse(_ bytes: [UInt8]) -> Result<Answer, Failure> {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            return .failure(Failure(description: "no complete head in \(bytes.count) bytes"))
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let body = Array(bytes[(end + separator.count)...])
        let lines = head.components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            return .failure(Failure(description: "bad status line '\(lines[0])'"))
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if let length = fields["content-length"].flatMap({ Int($0) }) {
            guard body.count == length else {
                return .failure(Failure(description: "status \(status): \(body.count) of \(length) body bytes"))
            }
        } else if fields["transfer-encoding"]?.lowercased() == "chunked" {
            guard body.suffix(5) == Array("0\r\n\r\n".utf8)[...] else {
                return .failure(Failure(description: "status \(status): chunked body without its last chunk"))
            }
        } else {
            return .failure(Failure(description: "status \(status): neither Content-Length nor chunks"))
        }
        return .success(Answer(status: status, body: String(decoding: body, as: UTF8.self)))
    }

    /// A port nobody listens on now (the system's choice for a socket bound to port 0).
    static func freePort() -> Int {
        let fd = socket(AF_INET, streamSocket, 0)
        precondition(fd >= 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        return address
    }
}
