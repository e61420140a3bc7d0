// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Parsing of event times and durations.
public enum TimeParsing {
    /// Seconds since the Unix epoch from a decimal number (`1538000000`, `1396339200.123`,
    /// `1.5e9`) or an ISO 8601 date-time in UTC (`2014-04-01T10:00:00Z`, `2014-04-01 10:00:00.5`,
    /// `2014-04-01`). Returns `nil` for anything else, including dates that do not exist
    /// (`2014-02-31`) and hexadecimal numbers (`0x10`).
    public static func seconds(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var b = bytes
        while let f = b.first, f == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropFirst()) }
        while let l = b.last, l == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropLast()) }
        if b.isEmpty || b.count > 63 { return nil }
        if b.count >= 10 && b[4] == UInt8(ascii: "-") && b[7] == UInt8(ascii: "-") {
            return iso8601(b)
        }
        // Decimal only: strtod would also read hexadecimal (0x10), infinity and nan.
        for c in b {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default: return nil
            }
        }
        var text = [CChar](repeating: 0, count: b.count + 1)
        for (i, c) in b.enumerated() { text[i] = CChar(bitPattern: c) }
        return text.withUnsafeBufferPointer { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(p.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: p.baseAddress!) == b.count, v.isFinite else {
                return nil
            }
            return v
        }
    }

    /// Convenience for strings.
    public static func seconds(_ text: String) -> Double? {
        var t = text
        return t.withUTF8 { seconds(UnsafeRawBufferPointer($0)) }
    }

    private static func iso8601(_ b: UnsafeRawBufferPointer) -> Double? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var v = 0
            for i in range {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
            (1...12).contains(mo), (1...daysIn(month: mo, of: y)).contains(d)
        else { return nil }
        var seconds = Double(daysFromCivil(y, mo, d)) * 86_400
        var i = 10
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " "), let h = number(11..<13),
                b.count > 13, b[13] == UInt8(ascii: ":"), let mi = number(14..<16),
                h < 24, mi < 60
            else { return nil }
            seconds += Double(h * 3600 + mi * 60)
            i = 16
            if i < b.count && b[i] == UInt8(ascii: ":") {
                guard let s = number(17..<19), s < 61 else { return nil }
                seconds += Double(s)
                i = 19
                if i < b.count && b[i] == UInt8(ascii: ".") {
                    var scale = 0.1
                    i += 1
                    let start = i
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        seconds += Double(b[i] - 48) * scale
                        scale /= 10
                        i += 1
                    }
                    if i == start { return nil }
                }
            }
            if i < b.count && b[i] == UInt8(ascii: "Z") { i += 1 }
        }
        return i == b.count ? seconds : nil
    }

    /// The number of days of `month` (1–12) in `year` of the proleptic Gregorian calendar.
    static func daysIn(month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-days algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A duration in seconds from `90`, `90s`, `30m`, `2h`, `1d` or `1.5h`; `nil` if malformed or negative.
    public static func duration(_ text: String) -> Double? {
        let t = text.trimmingSpaces().lowercased()
        guard let last = t.last else { return nil }
        var unit = 1.0
        var number = Substring(t)
        switch last {
        case "s":
            unit = 1
            number = number.dropLast()
        case "m":
            unit = 60
            number = number.dropLast()
        case "h":
            unit = 3600
            number = number.dropLast()
        case "d":
            unit = 86_400
            number = number.dropLast()
        case "w":
            unit = 604_800
            number = number.dropLast()
        default: break
        }
        guard let v = Double(number), v.isFinite, v >= 0 else { return nil }
        return v * unit
    }
}
