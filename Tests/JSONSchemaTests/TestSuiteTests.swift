import Foundation
import JSONSchema
import Testing
import TestSupport

/// The official JSON-Schema-Test-Suite: every required test of draft-07, 2019-09 and 2020-12.
struct RequiredSuiteTests {
    @Test(arguments: Dialect.allCases)
    func required(_ dialect: Dialect) {
        let runner = SuiteRunner(dialect)
        let outcome = runner.run(runner.files(""), assertFormats: false)
        print("JSON-Schema-Test-Suite \(runner.folder) required: \(outcome.passed) passed, \(outcome.failures.count) failed")
        #expect(outcome.total > 900)
        for failure in outcome.failures { Issue.record(Comment(rawValue: failure)) }
    }
}
