/// An ECMA-262 regular expression in Unicode mode, matched as JSON Schema's `pattern` does: an
/// unanchored search. A backtracking machine that remembers which (instruction, position) states
/// already failed, so patterns like `(a+)+$` run in time proportional to pattern × input instead
/// of exponential; patterns with backreferences (where that memo is unsound) get a step budget.
public final class ECMARegex: Sendable {
    public let pattern: String
    private let program: [Instruction]
    private let captureCount: Int
    private let usesBackreferences: Bool
    /// A literal prefix every match starts with... not needed; but a pattern with no special
    /// characters is matched as a substring search.
    private let literal: [UInt32]?

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
        program = compiler.program
        usesBackreferences = compiler.usesBackreferences
        if case .sequence(let items) = tree, items.allSatisfy({ if case .scalar = $0 { true } else { false } }) {
            literal = items.map { if case .scalar(let s) = $0 { s } else { 0 } }
        } else if case .scalar(let s) = tree {
            literal = [s]
        } else {
            literal = nil
        }
    }

    /// Thrown when a match needs more than `stepBudget` steps (only possible with backreferences).
    public struct MatchError: Error, Sendable {}

    /// Whether the pattern matches anywhere in `text`.
    public func firstMatch(in text: String) throws(MatchError) -> Bool {
        if let literal {
            if literal.isEmpty { return true }
            return Self.contains(Array(text.unicodeScalars.lazy.map(\.value)), literal)
        }
        let input = Array(text.unicodeScalars.lazy.map(\.value))
        var machine = Machine(program: program, input: input, captureCount: captureCount, memoize: !usesBackreferences)
        for start in 0...input.count {
            if try machine.run(pc: 0, position: start) { return true }
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

enum Instruction: Sendable {
    case scalar(UInt32)
    case dot
    case set(CharacterSet)
    /// Try `first`; on failure, `second`.
    case split(Int, Int)
    case jump(Int)
    case save(Int)
    case start, end
    case wordBoundary(negated: Bool)
    case look(program: [Instruction], ahead: Bool, negated: Bool)
    case backreference(Int)
    case match
}

struct ProgramCompiler {
    var program: [Instruction] = []
    var usesBackreferences = false

    mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        guard program.count <= 100_000 else { return }
        switch node {
        case .empty: break
        case .scalar(let s): program.append(.scalar(s))
        case .dot: program.append(.dot)
        case .set(let set): program.append(.set(set))
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
            try sub.emit(inner)
            sub.program.append(.match)
            usesBackreferences = usesBackreferences || sub.usesBackreferences
            program.append(.look(program: sub.program, ahead: ahead, negated: negated))
        case .backreference(let n):
            usesBackreferences = true
            program.append(.backreference(n))
        }
    }
}

/// Runs a program with an explicit backtrack stack.
struct Machine {
    let program: [Instruction]
    let input: [UInt32]
    var captures: [Int]
    let memoize: Bool
    /// Bit per (pc, position): that state already failed.
    var failed: [UInt64]
    var steps = 0

    init(program: [Instruction], input: [UInt32], captureCount: Int, memoize: Bool) {
        self.program = program
        self.input = input
        self.captures = Array(repeating: -1, count: 2 * (captureCount + 1))
        let states = program.count * (input.count + 1)
        // Past ~64M states the memo costs more memory than it is worth; the budget still bounds time.
        self.memoize = memoize && states <= 64_000_000
        self.failed = self.memoize ? Array(repeating: 0, count: states / 64 + 1) : []
    }

    private enum Frame { case state(pc: Int, position: Int), restore(slot: Int, value: Int) }

    mutating func run(pc startPC: Int, position startPosition: Int) throws(ECMARegex.MatchError) -> Bool {
        var stack: [Frame] = [.state(pc: startPC, position: startPosition)]
        let width = input.count + 1
        while let frame = stack.popLast() {
            var pc: Int, position: Int
            switch frame {
            case .restore(let slot, let value): captures[slot] = value; continue
            case .state(let p, let q): pc = p; position = q
            }
            thread: while true {
                steps += 1
                if !memoize && steps > ECMARegex.stepBudget { throw ECMARegex.MatchError() }
                if memoize {
                    let bit = pc * width + position
                    if failed[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { break thread }
                    failed[bit >> 6] |= 1 << UInt64(bit & 63)
                }
                switch program[pc] {
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
                case .set(let set):
                    guard position < input.count, set.contains(input[position]) else { break thread }
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
                case .look(let sub, let ahead, let negated):
                    var found = false
                    if ahead {
                        var inner = Machine(program: sub, input: input, captureCount: captures.count / 2 - 1, memoize: memoize)
                        inner.captures = captures
                        found = try inner.run(pc: 0, position: position)
                        steps += inner.steps
                    } else {
                        // Lookbehind: some start j ≤ position from which the sub-pattern ends exactly here.
                        var anchored = sub
                        anchored.removeLast()
                        anchored.append(.end)
                        anchored.append(.match)
                        let prefix = Array(input[0..<position])
                        for j in stride(from: position, through: 0, by: -1) {
                            var inner = Machine(program: anchored, input: prefix, captureCount: captures.count / 2 - 1, memoize: memoize)
                            inner.captures = captures
                            if try inner.run(pc: 0, position: j) { found = true; break }
                            steps += inner.steps
                            if steps > ECMARegex.stepBudget { throw ECMARegex.MatchError() }
                        }
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
