/// An ECMA-262 regular expression in Unicode mode, matched as JSON Schema's `pattern` does: an
/// unanchored search. A backtracking machine that remembers which (instruction, position) states
/// already failed, so patterns like `(a+)+$` run in time proportional to pattern × input instead
/// of exponential; patterns with backreferences (where that memo is unsound) get a step budget.
public final class ECMARegex: Sendable {
    public let pattern: String
    private let program: Program
    private let anchoredAtStart: Bool
    private let captureCount: Int
    private let usesBackreferences: Bool
    /// A pattern of plain characters only: matched as a substring search.
    private let literal: [UInt32]?
    /// `^X{min,max}$` with X one set or character: checked by a single loop, no machine.
    private let wholeString: (set: CharacterSet, min: Int, max: Int?)?

    /// The most backtracking steps one match may take before giving up (see `MatchError`).
    public static let stepBudget = 5_000_000

    public init(_ pattern: String) throws(RegexSyntaxError) {
        self.pattern = pattern
        var parser = RegexParser(pattern)
        let tree = try parser.parse()
        captureCount = parser.captureCount
        var compiler = ProgramCompiler()
        try compiler.emit(tree)
        compiler.program.append(.match)
        guard compiler.program.count <= 100_000 else {
            throw RegexSyntaxError(message: "pattern expands to more than 100,000 instructions (large counted repetitions)", offset: 0)
        }
        program = Program(instructions: compiler.program, sets: compiler.sets.map { $0.optimized() }, lookarounds: compiler.lookarounds,
                          memoizable: !compiler.usesBackreferences)
        anchoredAtStart = compiler.program.first.map { if case .start = $0 { true } else { false } } ?? false
        usesBackreferences = compiler.usesBackreferences
        wholeString = Self.wholeStringShape(tree)
        if case .sequence(let items) = tree, items.allSatisfy({ if case .scalar = $0 { true } else { false } }) {
            literal = items.map { if case .scalar(let s) = $0 { s } else { 0 } }
        } else if case .scalar(let s) = tree {
            literal = [s]
        } else {
            literal = nil
        }
    }

    private static func wholeStringShape(_ tree: RegexNode) -> (set: CharacterSet, min: Int, max: Int?)? {
        guard case .sequence(let items) = tree, items.count == 3, case .start = items[0], case .end = items[2] else { return nil }
        var set: CharacterSet
        var minimum = 1, maximum: Int? = 1
        var atom = items[1]
        if case .quantified(let inner, let low, let high, _) = atom { atom = inner; minimum = low; maximum = high }
        switch atom {
        case .set(let s): set = s
        case .scalar(let c): set = CharacterSet(ranges: [c...c])
        case .dot: set = CharacterSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029], negated: true)
        default: return nil
        }
        return (set.optimized(), minimum, maximum)
    }

    /// Thrown when a match needs more than `stepBudget` steps (only possible with backreferences).
    public struct MatchError: Error, Sendable {}

    /// Whether the pattern matches anywhere in `text`.
    public func firstMatch(in text: String) throws(MatchError) -> Bool {
        if let wholeString {
            var count = 0
            var ascii = true
            // Bytes first: ASCII text needs no UTF-8 decoding.
            for byte in text.utf8 {
                guard byte < 0x80 else { ascii = false; break }
                guard wholeString.set.contains(UInt32(byte)) else { return false }
                count += 1
            }
            if !ascii {
                count = 0
                for scalar in text.unicodeScalars {
                    guard wholeString.set.contains(scalar.value) else { return false }
                    count += 1
                }
            }
            return count >= wholeString.min && (wholeString.max.map { count <= $0 } ?? true)
        }
        var input: [UInt32] = []
        input.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { input.append(scalar.value) }
        if let literal {
            if literal.isEmpty { return true }
            return Self.contains(input, literal)
        }
        var machine = Machine(program: program, input: input, captureCount: captureCount, memoize: program.memoizable)
        for start in 0...(anchoredAtStart ? 0 : input.count) {
            if try machine.run(program.instructions, pc: 0, position: start) { return true }
        }
        return false
    }

    /// `firstMatch` that treats a blown step budget as "no match".
    public func matches(_ text: String) -> Bool { (try? firstMatch(in: text)) ?? false }

    private static func contains(_ haystack: [UInt32], _ needle: [UInt32]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}

/// One step of a compiled pattern. Payloads are plain values (sets and lookaround programs live
/// in side tables, by index) so that fetching an instruction never touches a reference count.
enum Instruction: Sendable {
    case scalar(UInt32)
    case dot
    case set(Int)
    /// Try `first`; on failure, `second`.
    case split(Int, Int)
    case jump(Int)
    case save(Int)
    case start, end
    case wordBoundary(negated: Bool)
    case look(program: Int, ahead: Bool, negated: Bool)
    case backreference(Int)
    case match
}

/// A compiled pattern: the main program and the side tables its instructions index.
struct Program: Sendable {
    var instructions: [Instruction]
    var sets: [CharacterSet]
    var lookarounds: [[Instruction]]
    /// Without backreferences a failed (instruction, position) state fails again whatever the
    /// path to it, so remembering failures keeps matching linear in pattern × input.
    var memoizable: Bool
}

struct ProgramCompiler {
    var program: [Instruction] = []
    var usesBackreferences = false
    var sets: [CharacterSet] = []
    var lookarounds: [[Instruction]] = []

    mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        guard program.count <= 100_000 else { return }
        switch node {
        case .empty: break
        case .scalar(let s): program.append(.scalar(s))
        case .dot: program.append(.dot)
        case .set(let set):
            sets.append(set)
            program.append(.set(sets.count - 1))
        case .sequence(let items): for item in items { try emit(item) }
        case .alternation(let branches):
            var jumpsToEnd: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i < branches.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, -1))
                    try emit(branch)
                    jumpsToEnd.append(program.count)
                    program.append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch)
                }
            }
            for j in jumpsToEnd { program[j] = .jump(program.count) }
        case .group(let inner, let capture):
            if let capture { program.append(.save(2 * capture)) }
            try emit(inner)
            if let capture { program.append(.save(2 * capture + 1)) }
        case .quantified(let inner, let min, let max, let greedy):
            for _ in 0..<min { try emit(inner) }
            if let max {
                var exits: [Int] = []
                for _ in min..<max {
                    let split = program.count
                    program.append(.split(-1, -1))
                    try emit(inner)
                    exits.append(split)
                    if program.count > 100_000 { return }
                }
                let end = program.count
                for split in exits { program[split] = greedy ? .split(split + 1, end) : .split(end, split + 1) }
            } else {
                let loop = program.count
                program.append(.split(-1, -1))
                try emit(inner)
                program.append(.jump(loop))
                let end = program.count
                program[loop] = greedy ? .split(loop + 1, end) : .split(end, loop + 1)
            }
        case .start: program.append(.start)
        case .end: program.append(.end)
        case .wordBoundary(let negated): program.append(.wordBoundary(negated: negated))
        case .look(let inner, let ahead, let negated):
            var sub = ProgramCompiler()
            sub.sets = sets
            sub.lookarounds = lookarounds
            try sub.emit(inner)
            sub.program.append(.match)
            sets = sub.sets
            lookarounds = sub.lookarounds
            usesBackreferences = usesBackreferences || sub.usesBackreferences
            lookarounds.append(sub.program)
            program.append(.look(program: lookarounds.count - 1, ahead: ahead, negated: negated))
        case .backreference(let n):
            usesBackreferences = true
            program.append(.backreference(n))
        }
    }
}

/// Runs a program with an explicit backtrack stack.
struct Machine {
    let program: Program
    let input: [UInt32]
    var captures: [Int]
    let memoize: Bool
    /// Bit per (pc, position) of the main program: that state already failed.
    var failed: [UInt64]
    var steps = 0
    private var stack: [Frame] = []

    init(program: Program, input: [UInt32], captureCount: Int, memoize: Bool) {
        self.program = program
        self.input = input
        self.captures = Array(repeating: -1, count: 2 * (captureCount + 1))
        let states = program.instructions.count * (input.count + 1)
        // Past ~64M states the memo costs more memory than it is worth; the budget bounds time instead.
        self.memoize = memoize && states <= 64_000_000
        self.failed = self.memoize ? Array(repeating: 0, count: states / 64 + 1) : []
        stack.reserveCapacity(16)
    }

    private enum Frame { case state(pc: Int, position: Int), restore(slot: Int, value: Int) }

    /// Runs `code` (the main program or a lookaround) from `startPC` at `startPosition`.
    mutating func run(_ code: [Instruction], pc startPC: Int, position startPosition: Int, memo: Bool = true) throws(ECMARegex.MatchError) -> Bool {
        let useMemo = memoize && memo
        let base = stack.count
        defer { stack.removeSubrange(base...) }
        stack.append(.state(pc: startPC, position: startPosition))
        let width = input.count + 1
        while stack.count > base, let frame = stack.popLast() {
            var pc: Int, position: Int
            switch frame {
            case .restore(let slot, let value): captures[slot] = value; continue
            case .state(let p, let q): pc = p; position = q
            }
            thread: while true {
                steps += 1
                if steps > ECMARegex.stepBudget && !useMemo { throw ECMARegex.MatchError() }
                if useMemo {
                    let bit = pc * width + position
                    if failed[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { break thread }
                    failed[bit >> 6] |= 1 << UInt64(bit & 63)
                }
                switch code[pc] {
                case .match:
                    return true
                case .scalar(let s):
                    guard position < input.count, input[position] == s else { break thread }
                    pc += 1; position += 1
                case .dot:
                    guard position < input.count else { break thread }
                    let c = input[position]
                    guard c != 0x0A, c != 0x0D, c != 0x2028, c != 0x2029 else { break thread }
                    pc += 1; position += 1
                case .set(let index):
                    guard position < input.count, program.sets[index].contains(input[position]) else { break thread }
                    pc += 1; position += 1
                case .split(let first, let second):
                    stack.append(.state(pc: second, position: position))
                    pc = first
                case .jump(let target):
                    pc = target
                case .save(let slot):
                    stack.append(.restore(slot: slot, value: captures[slot]))
                    captures[slot] = position
                    pc += 1
                case .start:
                    guard position == 0 else { break thread }
                    pc += 1
                case .end:
                    guard position == input.count else { break thread }
                    pc += 1
                case .wordBoundary(let negated):
                    let before = position > 0 && CharacterSet.word.contains(input[position - 1])
                    let after = position < input.count && CharacterSet.word.contains(input[position])
                    guard (before != after) != negated else { break thread }
                    pc += 1
                case .look(let index, let ahead, let negated):
                    let sub = program.lookarounds[index]
                    var found = false
                    if ahead {
                        found = try run(sub, pc: 0, position: position, memo: false)
                    } else {
                        // Lookbehind: some start j ≤ position from which the sub-pattern ends exactly here.
                        var anchored = sub
                        anchored.removeLast()
                        anchored.append(.end)
                        anchored.append(.match)
                        var inner = Machine(program: program, input: Array(input[0..<position]), captureCount: captures.count / 2 - 1, memoize: false)
                        inner.captures = captures
                        for j in stride(from: position, through: 0, by: -1) {
                            if try inner.run(anchored, pc: 0, position: j, memo: false) { found = true; break }
                        }
                        steps += inner.steps
                        if steps > ECMARegex.stepBudget { throw ECMARegex.MatchError() }
                    }
                    guard found != negated else { break thread }
                    pc += 1
                case .backreference(let n):
                    let start = captures[2 * n], end = captures[2 * n + 1]
                    if start >= 0, end >= start {
                        let length = end - start
                        guard position + length <= input.count, input[start..<end].elementsEqual(input[position..<(position + length)]) else { break thread }
                        position += length
                    }
                    pc += 1
                }
            }
        }
        return false
    }
}
