import Foundation
import Testing
@testable import KhuyenCongCore

@Suite("Search folding: diacritics and case")
struct SearchFoldingTests {
    @Test func theThreeSpellingsOfThanhHoaFoldAlike() {
        #expect(SearchFolding.fold("Thanh Hóa") == "thanh hoa")
        #expect(SearchFolding.fold("THANH HÓA") == "thanh hoa")
        #expect(SearchFolding.fold("thanh hoa") == "thanh hoa")
        // Decomposed input (NFD), as some keyboards and files send it.
        #expect(SearchFolding.fold("Thanh Hóa".decomposedStringWithCanonicalMapping) == "thanh hoa")
    }

    @Test func dWithStrokeFoldsToD() {
        #expect(SearchFolding.fold("Đắk Lắk") == "dak lak")
        #expect(SearchFolding.fold("đường ĐIỆN") == "duong dien")
    }

    @Test func everyVietnameseToneAndVowelMarkIsRemoved() {
        #expect(SearchFolding.fold("àáảãạ ăằắẳẵặ âầấẩẫậ") == "aaaaa aaaaaa aaaaaa")
        #expect(SearchFolding.fold("ÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ") == "eeeee eeeeee iiiii")
        #expect(SearchFolding.fold("ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ") == "ooooo oooooo oooooo")
        #expect(SearchFolding.fold("ùúủũụ ưừứửữự ỳýỷỹỵ") == "uuuuu uuuuuu yyyyy")
        #expect(SearchFolding.fold("Cơ sở sản xuất Nước mắm Hưng Thịnh") == "co so san xuat nuoc mam hung thinh")
    }

    @Test func punctuationSeparatesWordsAndSpacesCollapse() {
        #expect(SearchFolding.fold("  S2025-38-N-12 ") == "s2025 38 n 12")
        #expect(SearchFolding.fold("Công ty TNHH  \"Hòa Bình\", (Ninh Bình)") == "cong ty tnhh hoa binh ninh binh")
        #expect(SearchFolding.fold("100% _x_") == "100 x")
        #expect(SearchFolding.fold("") == "")
        #expect(SearchFolding.fold("–…") == "")
    }

    @Test func queryWordsAreFoldedAndDistinct() {
        #expect(SearchFolding.words("Thanh HÓA thanh") == ["thanh", "hoa"])
        #expect(SearchFolding.words("  ") == [])
        #expect(SearchFolding.words("a b c d e f g h i j", maxWords: 3) == ["a", "b", "c"])
        #expect(SearchFolding.words(String(repeating: "x", count: 100)).first?.count == 60)
    }
}
