import Foundation
@testable import RosterConnectors
import Testing

/// AWS API responses come from whatever `--endpoint-url` names: a document type declaration (entity
/// expansion, external entities) is refused before the platform parser sees it.
@Suite struct XMLTreeTests {
    @Test func anAPIResponseParses() throws {
        let xml = #"<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><UserName>ci</UserName></member></Users></ListUsersResult></ListUsersResponse>"#
        let root = try #require(XMLElement.parse(Data(xml.utf8)))
        #expect(root.first("UserName")?.text == "ci")
    }

    @Test func entityExpansionAndExternalEntitiesAreRefused() {
        let laughs = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><ListUsersResponse>&lol2;</ListUsersResponse>"#
        let external = #"<?xml version="1.0"?><!doctype r [<!entity x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#
        #expect(XMLElement.parse(Data(laughs.utf8)) == nil)
        #expect(XMLElement.parse(Data(external.utf8)) == nil)
    }
}
