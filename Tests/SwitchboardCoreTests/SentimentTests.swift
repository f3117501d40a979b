import SwitchboardCore
import Testing

/// The standard scorer on support messages in its four languages: the class, the language and the
/// quoted history it must not read. Negation multiplies a weight by −0.5, so "not bad" is faintly
/// positive and "not good" faintly negative.
@Suite struct SentimentTests {
    let scorer = SentimentScorer.standard

    @Test func complaintWithRefundIsNegative() {
        let result = scorer.score("This is terrible, I want a refund")
        #expect(result.sentiment == .negative)
        #expect(result.language == "en")
    }

    @Test func thanksForHelpIsPositive() {
        let result = scorer.score("Thanks, that was really helpful!")
        #expect(result.sentiment == .positive)
        #expect(result.language == "en")
    }

    @Test func negatedComplaintIsNotNegative() {
        #expect(scorer.score("not bad at all").sentiment != .negative)
        #expect(scorer.score("It is not good").sentiment == .negative)
        #expect(scorer.score("No problem, thanks!").sentiment == .positive)
    }

    @Test func questionIsNeutralWithoutLanguage() {
        let result = scorer.score("Where is my order?")
        #expect(result.sentiment == .neutral)
        #expect(result.score == 0)
        #expect(result.language == nil)
        #expect(scorer.score("").sentiment == .neutral)
    }

    @Test func german() {
        let bad = scorer.score("Das ist sehr schlecht")
        #expect(bad.sentiment == .negative)
        #expect(bad.language == "de")
        #expect(scorer.score("Das Gerät funktioniert nicht und ist kaputt").sentiment == .negative)
        #expect(scorer.score("Vielen Dank, das Problem ist gelöst").sentiment == .positive)
    }

    @Test func spanish() {
        let thanks = scorer.score("Muchas gracias, excelente servicio")
        #expect(thanks.sentiment == .positive)
        #expect(thanks.language == "es")
        #expect(scorer.score("El pedido no funciona, muy mal").sentiment == .negative)
    }

    @Test func french() {
        let notGood = scorer.score("Ce n'est pas bon")
        #expect(notGood.sentiment != .positive)
        #expect(notGood.language == "fr")
        #expect(scorer.score("Je n'ai jamais reçu ma commande, c'est une arnaque").sentiment == .negative)
        #expect(scorer.score("Ce n'était pas terrible").sentiment == .negative)
        #expect(scorer.score("C'est très bien, merci").sentiment == .positive)
    }

    @Test func emojiAndEmoticons() {
        #expect(scorer.score("I love it 👍").sentiment == .positive)
        #expect(scorer.score("👍🏽").sentiment == .positive)
        #expect(scorer.score("😡😡").sentiment == .negative)
        #expect(scorer.score("Not happy :(").sentiment == .negative)
        #expect(scorer.score("ok :-)").sentiment == .positive)
        #expect(scorer.score("Re:Delivery status").sentiment == .neutral)
    }

    @Test func quotedHistoryIsIgnored() {
        #expect(scorer.score("Thanks!\n\nOn Mon, Jan 1, Bob wrote:\n> this is terrible").sentiment == .positive)
        #expect(scorer.score("> this is terrible\nGreat, thanks").sentiment == .positive)
        #expect(
            scorer.score("Danke!\n\nAm 01.01.2024 um 10:00 schrieb Bob <bob@example.com>:\n> Das ist furchtbar")
                .sentiment == .positive)
        #expect(
            scorer.score("Gracias\n\nEl lun, 1 ene 2024 a las 10:00, Bob (<bob@x.es>) escribió:\nes una estafa")
                .sentiment == .positive)
        #expect(
            scorer.score("Merci !\n\nLe lun. 1 janv. 2024 à 10:00, Bob <bob@x.fr> a écrit :\nC'est nul").sentiment
                == .positive)
        // Gmail wraps a long attribution line.
        #expect(
            scorer.score("Thank you!\n\nOn Mon, Jan 1, 2024 at 10:00 AM Bob Smith <\nbob@example.com> wrote:\nawful")
                .sentiment == .positive)
        #expect(
            scorer.score("On Monday it broke.\nOn Tue, Jan 2, Bob wrote:\n> Thanks, great").sentiment == .negative)
        #expect(scorer.score("Hi\n-----Original Message-----\nFrom: shop\nThis is terrible").sentiment == .neutral)
    }

    @Test func phrasesAndIntensifiers() {
        #expect(scorer.score("My package never arrived and nobody answers. Useless!").sentiment == .negative)
        #expect(scorer.score("I was charged twice. This is a scam!!!").sentiment == .negative)
        #expect(scorer.score("I don’t like this, it doesn’t work").sentiment == .negative)
        #expect(scorer.score("It was slightly slow").score == -1)
        #expect(scorer.score("It was extremely slow").score == -4)
        // A negation does not reach past the clause it is in.
        #expect(scorer.score("The app crashed. No, it is terrible").sentiment == .negative)
    }

    @Test func greetingsAndSignOffsCarryNoFeeling() {
        #expect(scorer.score("Good morning, where is my parcel?\nKind regards, Ann").sentiment == .neutral)
        #expect(scorer.score("Bonne journée").sentiment == .neutral)
    }

    @Test func wordsSharedByLanguagesGoToTheBroaderLexicon() {
        #expect(scorer.score("That was super helpful").language == "en")
        #expect(scorer.score("Muchas gracias, excelente servicio").language == "es")
    }

    @Test func customListsAndThreshold() {
        let scorer = SentimentScorer(lexicons: ["xx": ["meh": -1]], negations: [:], intensifiers: [:], threshold: 2)
        #expect(scorer.score("meh").sentiment == .neutral)
        #expect(scorer.score("MEH meh").sentiment == .negative)
        #expect(scorer.score("meh").language == "xx")
        let custom = SentimentScorer(
            lexicons: ["en": ["Don’t Panic": 2]], negations: ["en": ["NOT"]], intensifiers: ["en": ["Very": 2]])
        #expect(custom.score("very don't panic").score == 4)
        #expect(custom.score("not don't panic").score == -1)
    }

    @Test func sentimentsEncodeAsTheirNames() {
        #expect(Sentiment.allCases.map(\.rawValue) == ["positive", "neutral", "negative"])
    }
}
