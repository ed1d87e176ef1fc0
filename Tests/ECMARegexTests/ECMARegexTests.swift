import ECMARegex
import Testing

/// ECMA-262 (Unicode mode) semantics where Swift's and ICU's engines differ, and bounded time on
/// patterns that are exponential for naive backtracking.
struct ECMARegexTests {
    func matches(_ pattern: String, _ text: String) throws -> Bool { try ECMARegex(pattern).firstMatch(in: text) }

    @Test func classEscapesAreASCIIOnly() throws {
        #expect(try matches(#"^\d+$"#, "042"))
        #expect(try !matches(#"^\d+$"#, "\u{09EA}\u{09E8}"))       // Bengali digits: ICU's \d says yes
        #expect(try matches(#"^\w+$"#, "a_Z9"))
        #expect(try !matches(#"^\w$"#, "é"))                        // ICU's \w says yes
        #expect(try matches(#"^\s$"#, "\u{FEFF}"))                  // ICU's \s says no
        #expect(try matches(#"^\s$"#, "\u{3000}"))
        #expect(try matches(#"^\D\W\S$"#, "é-x"))
    }

    @Test func unicodeModeFeatures() throws {
        #expect(try matches(#"^\p{Letter}+$"#, "πé"))
        #expect(try !matches(#"^\p{L}+$"#, "π1"))
        #expect(try matches(#"^\P{Lu}$"#, "a"))
        #expect(try matches(#"^\u{1F600}$"#, "😀"))
        #expect(try matches("^.$", "😀"))                            // one code point, not two UTF-16 units
        #expect(try matches(#"^\uD83D\uDE00$"#, "😀"))              // a surrogate pair escape is one code point
        #expect(try matches(#"^\cJ$"#, "\n"))
        #expect(try matches(#"^[\d\-z]+$"#, "1-z"))
    }

    @Test func groupsLookaroundAndBackreferences() throws {
        #expect(try matches(#"(?<=\$)\d+"#, "cost $42"))              // lookbehind: a compile error for Swift Regex
        #expect(try !matches(#"(?<!\$)\b\d+"#, "$42"))
        #expect(try matches(#"^(?=.*\d)(?!.*\s).{4,}$"#, "abc1"))
        #expect(try matches(#"^(a+)b\1$"#, "aabaa"))
        #expect(try !matches(#"^(a+)b\1$"#, "aaba"))
        #expect(try matches(#"^(?<q>['"]).*\k<q>$"#, "'x'"))
        #expect(try matches(#"^(?:ab|cd){2,3}$"#, "abcdab"))
        #expect(try !matches(#"^(?:ab|cd){2,3}$"#, "ab"))
        #expect(try matches("a|b", "xxbxx"))                          // unanchored search
        #expect(try matches("^a*?b", "aaab"))
    }

    @Test func rejectsWhatECMAScriptRejects() {
        for pattern in [#"\a"#, "(?P<name>x)", "(?i)x", "(?#comment)", "[z-a]", "a{2,1}", "(", "a)", "*a", #"\k<nope>"#, #"\2(a)"#, "x{", #"\p{NoSuchProperty}"#, #"[\d-z]"#] {
            #expect(throws: RegexSyntaxError.self, "\(pattern)") { try ECMARegex(pattern) }
        }
    }

    /// `(a+)+$` and friends are exponential for a plain backtracker; the failed-state memo makes
    /// them linear. (The test asserts the answers; a regression would show as a hang.)
    @Test func catastrophicPatternsFinish() throws {
        let long = String(repeating: "a", count: 20_000) + "!"
        #expect(try !matches("^(a+)+$", long))
        #expect(try !matches("(a|aa)*b", long))
        #expect(try !matches("^(a|a?)+$", long))
        #expect(try matches("(a+)+!", long))
    }

    /// With backreferences the memo is unsound, so a step budget bounds the work instead.
    @Test func backreferencePatternsHaveABudget() throws {
        let regex = try ECMARegex(#"^(a*)*\1b$"#)
        let text = String(repeating: "a", count: 5_000)
        #expect(throws: ECMARegex.MatchError.self) { try regex.firstMatch(in: text) }
        #expect(!regex.matches(text))
    }
}
