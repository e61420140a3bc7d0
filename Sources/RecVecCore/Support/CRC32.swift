// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// CRC-32 (IEEE 802.3, the polynomial of zlib and PNG), slicing-by-8: about 1–2 GB/s.
/// Any zlib can check a model file: `zlib.crc32(data[:-4])` in Python equals its last 4 bytes.
public struct CRC32: Sendable {
    private static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
        }
        return t
    }()

    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// The checksum of everything passed to ``update(_:)``.
    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = state
        var i = 0
        let n = bytes.count
        Self.tables.withUnsafeBufferPointer { t in
            let t0 = t[0]
            let t1 = t[1]
            let t2 = t[2]
            let t3 = t[3]
            let t4 = t[4]
            let t5 = t[5]
            let t6 = t[6]
            let t7 = t[7]
            t0.withUnsafeBufferPointer { t0 in
                t1.withUnsafeBufferPointer { t1 in
                    t2.withUnsafeBufferPointer { t2 in
                        t3.withUnsafeBufferPointer { t3 in
                            t4.withUnsafeBufferPointer { t4 in
                                t5.withUnsafeBufferPointer { t5 in
                                    t6.withUnsafeBufferPointer { t6 in
                                        t7.withUnsafeBufferPointer { t7 in
                                            while i + 8 <= n {
                                                let lo =
                                                    bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian
                                                    ^ c
                                                let hi = bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self)
                                                    .littleEndian
                                                c =
                                                    t7[Int(lo & 0xFF)] ^ t6[Int((lo >> 8) & 0xFF)]
                                                    ^ t5[Int((lo >> 16) & 0xFF)]
                                                    ^ t4[Int(lo >> 24)] ^ t3[Int(hi & 0xFF)] ^ t2[Int((hi >> 8) & 0xFF)]
                                                    ^ t1[Int((hi >> 16) & 0xFF)] ^ t0[Int(hi >> 24)]
                                                i += 8
                                            }
                                            while i < n {
                                                c = t0[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                                                i += 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        state = c
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
