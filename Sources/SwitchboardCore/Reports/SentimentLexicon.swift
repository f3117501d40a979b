import Foundation

/// The standard scorer's word lists, written for support conversations: how customers thank, praise
/// and complain about orders, deliveries, refunds and the team. Weights run from −3 (furious, a
/// scam) to +3 (perfect, a lifesaver); an entry with a space is a phrase. A word that reads
/// differently in another of the four languages is left out ("toll", "content"), since every
/// lexicon scores every message; German "Problem" is scored by the English entry. Greetings and
/// sign-offs that use a listed word ("good morning", "bonne journée") are entries weighing 0.
extension SentimentScorer {
    static let standardLexicons: [String: [String: Double]] = [
        "en": englishLexicon, "de": germanLexicon, "es": spanishLexicon, "fr": frenchLexicon,
    ]

    static let standardNegations: [String: Set<String>] = [
        "en": [
            "not", "no", "never", "nothing", "none", "neither", "nor", "without", "cannot", "don't", "dont",
            "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "weren't",
            "can't", "cant", "couldn't", "couldnt", "won't", "wont", "wouldn't", "wouldnt", "shouldn't", "haven't",
            "havent", "hasn't", "hasnt", "hadn't", "ain't",
        ],
        "de": [
            "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "nichts", "ohne",
            "weder",
        ],
        "es": ["no", "nunca", "jamás", "jamas", "ni", "nada", "nadie", "tampoco", "sin"],
        "fr": ["ne", "n'", "pas", "jamais", "rien", "aucun", "aucune", "sans", "ni"],
    ]

    static let standardIntensifiers: [String: [String: Double]] = [
        "en": [
            "very": 1.5, "really": 1.5, "so": 1.5, "too": 1.5, "truly": 1.5, "highly": 1.5, "totally": 1.5,
            "completely": 1.5, "absolutely": 1.5, "especially": 1.5, "extremely": 2, "incredibly": 2, "utterly": 2,
            "quite": 1.2, "pretty": 1.2, "slightly": 0.5, "somewhat": 0.5, "bit": 0.5, "little": 0.5,
        ],
        "de": [
            "sehr": 1.5, "so": 1.5, "zu": 1.3, "echt": 1.5, "wirklich": 1.5, "total": 1.5, "völlig": 1.5,
            "komplett": 1.5, "absolut": 1.5, "besonders": 1.5, "vielen": 1.5, "extrem": 2, "äußerst": 2,
            "ziemlich": 1.2, "etwas": 0.5,
        ],
        "es": [
            "muy": 1.5, "tan": 1.5, "realmente": 1.5, "demasiado": 1.5, "súper": 1.5, "totalmente": 1.5,
            "completamente": 1.5, "muchas": 1.5, "mil": 1.5, "extremadamente": 2, "muchísimas": 2, "bastante": 1.2,
            "poco": 0.5,
        ],
        "fr": [
            "très": 1.5, "si": 1.5, "trop": 1.5, "tellement": 1.5, "vraiment": 1.5, "vachement": 1.5,
            "complètement": 1.5, "totalement": 1.5, "absolument": 1.5, "extrêmement": 2, "assez": 1.2,
        ],
    ]

    static let englishLexicon: [String: Double] = [
        // Praise and thanks.
        "amazing": 3, "awesome": 3, "brilliant": 3, "excellent": 3, "exceptional": 3, "fantastic": 3,
        "lifesaver": 3, "love": 3, "loved": 3, "outstanding": 3, "perfect": 3, "perfectly": 3, "phenomenal": 3,
        "superb": 3, "wonderful": 3, "well done": 3,
        "appreciate": 2, "appreciated": 2, "delighted": 2, "efficient": 2, "enjoy": 2, "enjoyed": 2,
        "fixed": 2, "friendly": 2, "glad": 2, "good": 2, "grateful": 2, "great": 2, "happy": 2, "helpful": 2,
        "impressed": 2, "liked": 2, "nice": 2, "pleased": 2, "polite": 2,
        "professional": 2, "recommend": 2, "reliable": 2, "resolved": 2, "responsive": 2, "satisfied": 2,
        "smooth": 2, "solved": 2, "sorted": 2, "super": 2, "thank": 2, "thanks": 2, "thankful": 2, "thx": 2,
        "accurate": 1, "better": 1, "clear": 1, "convenient": 1, "correct": 1, "easy": 1, "fair": 1, "fast": 1,
        "fine": 1, "improved": 1, "ok": 1, "okay": 1, "prompt": 1, "quick": 1, "quickly": 1, "useful": 1,
        "welcome": 1, "working": 1, "works": 1,
        // Greetings and polite requests that carry no feeling.
        "good morning": 0, "good afternoon": 0, "good evening": 0, "would love": 0, "i'd love": 0,
        // Doubts and small trouble.
        "bug": -1, "bugs": -1, "cancel": -1, "concerned": -1, "confused": -1, "declined": -1, "delay": -1,
        "difficult": -1, "expensive": -1, "inconvenience": -1, "invalid": -1, "issue": -1, "issues": -1,
        "refund": -1, "sadly": -1, "unclear": -1, "unfortunately": -1, "urgent": -1, "urgently": -1, "waited": -1,
        "waiting": -1, "worried": -1,
        // Complaints.
        "annoyed": -2, "annoying": -2, "bad": -2, "broke": -2, "complain": -2, "complaining": -2, "complaint": -2,
        "confusing": -2, "crash": -2, "crashed": -2, "crashes": -2, "crashing": -2, "delayed": -2, "denied": -2,
        "disappointed": -2, "disappointing": -2, "disappointment": -2, "dissatisfied": -2, "error": -2,
        "errors": -2, "fail": -2, "failed": -2, "failing": -2, "failure": -2, "frustrated": -2, "frustrating": -2,
        "hassle": -2, "ignored": -2, "ignoring": -2, "impossible": -2, "incorrect": -2, "late": -2, "lost": -2,
        "mess": -2, "misleading": -2, "missing": -2, "overpriced": -2, "poor": -2, "problem": -2, "problems": -2,
        "refused": -2, "regret": -2, "rejected": -2, "sad": -2, "slow": -2, "stuck": -2, "unhappy": -2,
        "unreliable": -2, "unsatisfied": -2, "upset": -2, "waste": -2, "wasted": -2, "wrong": -2,
        "not working": -2, "isn't working": -2, "doesn't work": -2, "does not work": -2, "stopped working": -2,
        "not received": -2, "not arrived": -2, "hasn't arrived": -2, "didn't arrive": -2, "did not arrive": -2,
        "still waiting": -2, "no response": -2, "no reply": -2, "no answer": -2,
        // Anger, damage and fraud.
        "angry": -3, "appalling": -3, "awful": -3, "broken": -3, "chargeback": -3, "cheated": -3, "damaged": -3,
        "defective": -3, "disaster": -3, "disgusting": -3, "dreadful": -3, "faulty": -3, "fraud": -3,
        "fraudulent": -3, "furious": -3, "garbage": -3, "hate": -3, "hated": -3, "horrible": -3, "incompetent": -3,
        "lied": -3, "livid": -3, "nightmare": -3, "outraged": -3, "overcharged": -3, "pathetic": -3,
        "ridiculous": -3, "ripoff": -3, "rude": -3, "scam": -3, "stolen": -3, "sucks": -3, "terrible": -3,
        "trash": -3, "unacceptable": -3, "unprofessional": -3, "unusable": -3, "useless": -3, "worse": -3,
        "worst": -3, "worthless": -3, "wtf": -3,
        "never arrived": -3, "never received": -3, "never got": -3, "charged twice": -3, "rip off": -3,
        "waste of time": -3, "waste of money": -3,
    ]

    static let germanLexicon: [String: Double] = [
        "ausgezeichnet": 3, "genial": 3, "großartig": 3, "hervorragend": 3, "perfekt": 3, "spitze": 3,
        "wunderbar": 3,
        "behoben": 2, "dank": 2, "danke": 2, "dankeschön": 2, "empfehlen": 2, "freundlich": 2, "froh": 2,
        "gelöst": 2, "glücklich": 2, "gut": 2, "hilfreich": 2, "klasse": 2, "nett": 2, "prima": 2, "super": 2,
        "zufrieden": 2,
        "erledigt": 1, "funktioniert": 1, "klappt": 1, "schnell": 1,
        "erstattung": -1, "leider": -1, "rückerstattung": -1, "spät": -1,
        "ärger": -2, "ärgerlich": -2, "beschwerde": -2, "enttäuscht": -2, "enttäuschend": -2, "enttäuschung": -2,
        "falsch": -2, "fehler": -2, "fehlerhaft": -2, "fehlt": -2, "frustriert": -2, "langsam": -2, "mist": -2,
        "probleme": -2, "reklamation": -2, "sauer": -2, "schlecht": -2, "unfreundlich": -2,
        "unzufrieden": -2, "verspätet": -2, "verspätung": -2,
        "funktioniert nicht": -2, "nicht funktioniert": -2, "geht nicht": -2, "nicht angekommen": -2,
        "nicht erhalten": -2, "keine antwort": -2, "keine rückmeldung": -2,
        "beschädigt": -3, "betrug": -3, "betrüger": -3, "defekt": -3, "frechheit": -3, "furchtbar": -3,
        "inakzeptabel": -3, "kaputt": -3, "katastrophal": -3, "katastrophe": -3, "mangelhaft": -3, "nutzlos": -3,
        "schlimm": -3, "schrecklich": -3, "unbrauchbar": -3, "unverschämt": -3, "verärgert": -3, "wütend": -3,
        "nie angekommen": -3,
    ]

    static let spanishLexicon: [String: Double] = [
        "encanta": 3, "estupendo": 3, "excelente": 3, "fantástico": 3, "genial": 3, "maravilloso": 3,
        "perfecto": 3, "perfecta": 3,
        "agradecido": 2, "agradezco": 2, "amable": 2, "buen": 2, "buena": 2, "bueno": 2, "contento": 2,
        "contenta": 2, "eficiente": 2, "feliz": 2, "gracias": 2, "increíble": 2, "recomiendo": 2, "resuelto": 2,
        "satisfecho": 2, "satisfecha": 2, "solucionado": 2, "útil": 2,
        "bien": 1, "funciona": 1, "rápido": 1, "rápida": 1,
        "buen día": 0, "buenos días": 0, "buenas tardes": 0, "buenas noches": 0,
        "devolución": -1, "reembolso": -1, "tarde": -1,
        "decepción": -2, "decepcionado": -2, "decepcionada": -2, "equivocado": -2, "error": -2, "falla": -2,
        "frustrado": -2, "lento": -2, "mal": -2, "mala": -2, "malo": -2, "molesto": -2, "perdido": -2,
        "problema": -2, "problemas": -2, "queja": -2, "reclamo": -2, "retraso": -2,
        "no funciona": -2, "no llegó": -2, "no ha llegado": -2, "no recibí": -2, "sin respuesta": -2,
        "dañado": -3, "defectuoso": -3, "desastre": -3, "enfadado": -3, "enojado": -3, "estafa": -3, "fatal": -3,
        "fraude": -3, "harto": -3, "harta": -3, "horrible": -3, "inaceptable": -3, "inútil": -3, "pésimo": -3,
        "pésima": -3, "rota": -3, "roto": -3, "terrible": -3, "vergüenza": -3,
        "nunca llegó": -3,
    ]

    static let frenchLexicon: [String: Double] = [
        "excellent": 3, "formidable": 3, "génial": 3, "impeccable": 3, "magnifique": 3, "parfait": 3,
        "parfaite": 3, "ravi": 3, "ravie": 3,
        "aimable": 2, "bon": 2, "bonne": 2, "efficace": 2, "gentil": 2, "merci": 2, "recommande": 2, "remercie": 2,
        "réglé": 2, "résolu": 2, "satisfait": 2, "satisfaite": 2, "super": 2, "sympa": 2, "utile": 2,
        "bien": 1, "fonctionne": 1, "rapide": 1, "rapidement": 1,
        "bonne journée": 0, "bonne soirée": 0, "bonne fin de journée": 0,
        "remboursement": -1,
        "déception": -2, "décevant": -2, "déçu": -2, "déçue": -2, "erreur": -2, "insatisfait": -2,
        "insatisfaite": -2, "lent": -2, "lente": -2, "manquant": -2, "mauvais": -2, "mauvaise": -2, "perdu": -2,
        "plainte": -2, "problème": -2, "problèmes": -2, "retard": -2,
        "pas terrible": -2, "ne fonctionne pas": -2, "ne fonctionne plus": -2, "ne marche pas": -2,
        "pas reçu": -2,
        "affreux": -3, "arnaque": -3, "cassé": -3, "cassée": -3, "catastrophe": -3, "catastrophique": -3,
        "défectueux": -3, "endommagé": -3, "énervé": -3, "escroquerie": -3, "fâché": -3, "furieux": -3,
        "furieuse": -3, "honteux": -3, "horrible": -3, "inacceptable": -3, "inutile": -3, "lamentable": -3,
        "marre": -3, "nul": -3, "nulle": -3, "pire": -3, "scandale": -3, "scandaleux": -3,
        "jamais reçu": -3,
    ]

    /// Emoji by their first scalar (a skin tone or variation selector may follow in the same character).
    static let emojiWeights: [Unicode.Scalar: Double] = [
        "🙂": 2, "😊": 2, "😀": 2, "😃": 2, "😄": 2, "😁": 2, "😍": 3, "🥰": 3, "👍": 2, "👌": 2, "🙏": 2, "🎉": 2,
        "❤": 3, "☺": 2,
        "🙁": -2, "☹": -2, "😞": -2, "😟": -2, "😢": -2, "😭": -3, "😒": -2, "😤": -3, "😠": -3, "😡": -3,
        "🤬": -3, "👎": -2,
    ]

    /// Text emoticons, longest first so that ":-)" is not read as "-)" after a stray ":".
    static let textEmoticons: [(emoticon: String, weight: Double)] = [
        (":-)", 2), (":-D", 2), (";-)", 2), (":'(", -2), (":-(", -2), (":-/", -1),
        (":)", 2), (":D", 2), (";)", 2), ("=)", 2), (":]", 2), (":(", -2), ("=(", -2), (":[", -2),
    ]
}
