import Fingerprint
import Testing

/// Known answers from RFC 1321, FIPS 180-4 and the Avro specification.
struct FingerprintTests {
    @Test func md5KnownAnswers() {
        #expect(hexString(MD5.digest([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hexString(MD5.digest(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hexString(MD5.digest(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8)))
                == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func sha256KnownAnswers() {
        #expect(hexString(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hexString(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hexString(SHA256.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Exactly one block of padding boundary: 55 and 56 bytes.
        #expect(hexString(SHA256.digest(Array(repeating: UInt8(ascii: "a"), count: 56))) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    @Test func rabinOfTheSpecExample() {
        // "int" → Java long 8247732601305521295 → bytes 8f5c393f1ad57572 (avro.md §2.2).
        let fingerprint = Rabin.fingerprint(Array("\"int\"".utf8))
        #expect(fingerprint == 8_247_732_601_305_521_295)
        #expect(hexString(Rabin.littleEndianBytes(fingerprint)) == "8f5c393f1ad57572")
        #expect(Rabin.fingerprint([UInt8]()) == Rabin.empty)
    }
}
