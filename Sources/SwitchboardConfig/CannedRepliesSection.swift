import SwitchboardCore

/// One entry of `canned_replies:` — a saved answer the reply box offers, with placeholders
/// (`{{customer.first_name}}`, `{{agent.name}}`, …). A placeholder that does not exist is named
/// with the ones that do, so a typo is found by `config check`, not by a customer.
struct CannedReplyEntry: Decodable {
    var reply: CannedReply

    enum CodingKeys: String, CodingKey { case name, text }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        guard (1...80).contains(name.count), !name.contains(where: \.isNewline) else {
            throw DecodingError.dataCorruptedError(
                forKey: .name, in: container,
                debugDescription: "a canned reply's name is 1 to 80 characters on one line")
        }
        let text = try container.decode(String.self, forKey: .text)
        do {
            reply = try CannedReply(name: name, text: text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .text, in: container, debugDescription: "\(error)")
        }
    }
}
