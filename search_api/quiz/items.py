"""The interest quiz's items and the six RIASEC types, as data.

Our own writing: 36 short activities (six per type) drawn from the lives of Indian school
students, each in plain English and in Hindi. Students answer how much they would enjoy the
activity, not whether they are good at it: the Holland model measures interest, and ability
shows up elsewhere in the profile (skills, stream).
"""

from __future__ import annotations

from dataclasses import dataclass

from search_api.careers.records import RIASEC_LETTERS, Riasec


@dataclass(frozen=True)
class QuizItem:
    id: str
    type: Riasec
    en: str
    hi: str


@dataclass(frozen=True)
class RiasecType:
    letter: Riasec
    name: str  # the word the recommendations' interest part understands (scoring.RIASEC_WORDS)
    label_en: str
    label_hi: str
    summary_en: str
    summary_hi: str


@dataclass(frozen=True)
class Choice:
    value: int
    label_en: str
    label_hi: str


CHOICES: tuple[Choice, ...] = (
    Choice(0, "Not for me", "मेरे लिए नहीं"),
    Choice(1, "Not sure", "पक्का नहीं"),
    Choice(2, "I would enjoy it", "मुझे अच्छा लगेगा"),
)
MAX_CHOICE = max(c.value for c in CHOICES)

TYPES: dict[str, RiasecType] = {
    t.letter: t
    for t in (
        RiasecType(
            "R",
            "realistic",
            "Realistic (Doer)",
            "यथार्थवादी (करने वाले)",
            "You like practical, hands-on work with tools, machines, plants or animals, often "
            "outdoors, and you like to see a real result: engineering trades, agriculture, "
            "defence, aviation, the merchant navy.",
            "आपको औज़ारों, मशीनों, पौधों या जानवरों के साथ हाथ से काम करना पसंद है, अक्सर बाहर, "
            "और आप ठोस नतीजा देखना चाहते हैं: इंजीनियरिंग, कृषि, रक्षा सेवाएँ, विमानन, मर्चेंट नेवी।",
        ),
        RiasecType(
            "I",
            "investigative",
            "Investigative (Thinker)",
            "अन्वेषी (सोचने वाले)",
            "You like to observe, ask why, analyse and solve problems, especially in science and "
            "mathematics: research, medicine, data science, software.",
            "आपको देखना, 'क्यों' पूछना, विश्लेषण करना और समस्याएँ सुलझाना पसंद है, ख़ासकर विज्ञान "
            "और गणित में: शोध, चिकित्सा, डेटा साइंस, सॉफ़्टवेयर।",
        ),
        RiasecType(
            "A",
            "artistic",
            "Artistic (Creator)",
            "कलात्मक (रचने वाले)",
            "You like to express ideas through art, words, music, design or performance, with "
            "room to experiment: design, architecture, media, writing, the performing arts.",
            "आपको कला, शब्दों, संगीत, डिज़ाइन या अभिनय से अपनी बात कहना पसंद है, प्रयोग की आज़ादी "
            "के साथ: डिज़ाइन, आर्किटेक्चर, मीडिया, लेखन, प्रदर्शन कलाएँ।",
        ),
        RiasecType(
            "S",
            "social",
            "Social (Helper)",
            "सामाजिक (मदद करने वाले)",
            "You like to teach, care for, counsel and serve people: teaching, nursing, "
            "psychology, social work, healthcare.",
            "आपको लोगों को पढ़ाना, उनकी देखभाल करना, सलाह देना और सेवा करना पसंद है: शिक्षण, "
            "नर्सिंग, मनोविज्ञान, समाज सेवा, स्वास्थ्य सेवा।",
        ),
        RiasecType(
            "E",
            "enterprising",
            "Enterprising (Persuader)",
            "उद्यमी (नेतृत्व करने वाले)",
            "You like to lead, convince, sell and take decisions, and you enjoy a challenge: "
            "management, business, law, civil services, sales.",
            "आपको नेतृत्व करना, दूसरों को राज़ी करना, बेचना और फ़ैसले लेना पसंद है, और चुनौती "
            "अच्छी लगती है: प्रबंधन, व्यापार, क़ानून, सिविल सेवा, बिक्री।",
        ),
        RiasecType(
            "C",
            "conventional",
            "Conventional (Organiser)",
            "व्यवस्थित (संगठित करने वाले)",
            "You like order, clear procedures, numbers and records, and getting the details "
            "right: accounting, banking, government offices, administration.",
            "आपको व्यवस्था, साफ़ नियम, आँकड़े और रिकॉर्ड पसंद हैं, और बारीकियाँ सही रखना अच्छा "
            "लगता है: अकाउंटिंग, बैंकिंग, सरकारी दफ़्तर, प्रशासन।",
        ),
    )
}

ITEMS: tuple[QuizItem, ...] = (
    # Realistic
    QuizItem(
        "r1",
        "R",
        "Repair a bicycle puncture or a loose fan at home",
        "घर पर साइकिल का पंक्चर या ढीला पंखा ठीक करना",
    ),
    QuizItem(
        "r2",
        "R",
        "Build a working model for the school science exhibition",
        "स्कूल की विज्ञान प्रदर्शनी के लिए चलता हुआ मॉडल बनाना",
    ),
    QuizItem(
        "r3",
        "R",
        "Grow vegetables or look after plants in a kitchen garden",
        "किचन गार्डन में सब्ज़ियाँ उगाना या पौधों की देखभाल करना",
    ),
    QuizItem(
        "r4",
        "R",
        "Use tools such as a drill, a soldering iron or a saw",
        "ड्रिल, सोल्डरिंग आयरन या आरी जैसे औज़ार चलाना",
    ),
    QuizItem(
        "r5",
        "R",
        "Learn to fly a drone or drive a tractor",
        "ड्रोन उड़ाना या ट्रैक्टर चलाना सीखना",
    ),
    QuizItem(
        "r6",
        "R",
        "Spend a day outdoors at a building site, a farm or a forest camp",
        "पूरा दिन बाहर, किसी निर्माण स्थल, खेत या जंगल कैंप में बिताना",
    ),
    # Investigative
    QuizItem(
        "i1",
        "I",
        "Find out by experiment why milk curdles or why iron rusts",
        "प्रयोग करके पता लगाना कि दूध क्यों फटता है या लोहे पर ज़ंग क्यों लगता है",
    ),
    QuizItem(
        "i2",
        "I",
        "Solve tricky maths or logic puzzles, like those in olympiad papers",
        "ओलंपियाड जैसे कठिन गणित या तर्क के सवाल हल करना",
    ),
    QuizItem(
        "i3",
        "I",
        "Read about how vaccines, ISRO's rockets or the human brain work",
        "पढ़ना कि टीके, इसरो के रॉकेट या इंसानी दिमाग़ कैसे काम करते हैं",
    ),
    QuizItem(
        "i4",
        "I",
        "Look at onion cells or pond water under a microscope",
        "माइक्रोस्कोप से प्याज़ की कोशिकाएँ या तालाब का पानी देखना",
    ),
    QuizItem(
        "i5",
        "I",
        "Record the rainfall in your town for a month and look for patterns",
        "एक महीने तक अपने शहर की बारिश दर्ज करना और उसमें पैटर्न ढूँढना",
    ),
    QuizItem(
        "i6",
        "I",
        "Work out how a mobile app or a website works inside",
        "समझना कि कोई मोबाइल ऐप या वेबसाइट अंदर से कैसे काम करती है",
    ),
    # Artistic
    QuizItem(
        "a1",
        "A",
        "Draw, paint or make rangoli designs",
        "चित्र बनाना, पेंटिंग करना या रंगोली के डिज़ाइन बनाना",
    ),
    QuizItem(
        "a2",
        "A",
        "Write stories, poems or shayari",
        "कहानियाँ, कविताएँ या शायरी लिखना",
    ),
    QuizItem(
        "a3",
        "A",
        "Act in the school play or a street play (nukkad natak)",
        "स्कूल के नाटक या नुक्कड़ नाटक में अभिनय करना",
    ),
    QuizItem(
        "a4",
        "A",
        "Sing, or play an instrument such as the tabla, guitar or flute",
        "गाना गाना, या तबला, गिटार या बाँसुरी जैसा कोई वाद्य बजाना",
    ),
    QuizItem(
        "a5",
        "A",
        "Design a poster, an outfit or the look of a room",
        "कोई पोस्टर, पोशाक या कमरे की सजावट डिज़ाइन करना",
    ),
    QuizItem(
        "a6",
        "A",
        "Shoot and edit a short video or take photographs",
        "छोटा वीडियो शूट और एडिट करना या तस्वीरें खींचना",
    ),
    # Social
    QuizItem(
        "s1",
        "S",
        "Explain a hard chapter to a younger student or a cousin",
        "किसी छोटे छात्र या भाई-बहन को कठिन पाठ समझाना",
    ),
    QuizItem(
        "s2",
        "S",
        "Listen to a friend's worries and help them feel better",
        "किसी दोस्त की परेशानी सुनना और उसका मन हल्का करना",
    ),
    QuizItem(
        "s3",
        "S",
        "Volunteer at a blood donation camp or with an NGO",
        "रक्तदान शिविर में या किसी एनजीओ के साथ स्वयंसेवा करना",
    ),
    QuizItem(
        "s4",
        "S",
        "Look after a grandparent or someone who is unwell",
        "दादा-दादी या किसी बीमार व्यक्ति की देखभाल करना",
    ),
    QuizItem(
        "s5",
        "S",
        "Help new students settle in at school",
        "स्कूल में नए छात्रों को घुलने-मिलने में मदद करना",
    ),
    QuizItem(
        "s6",
        "S",
        "Teach people in your area about health, hygiene or road safety",
        "अपने इलाक़े के लोगों को सेहत, साफ़-सफ़ाई या सड़क सुरक्षा के बारे में बताना",
    ),
    # Enterprising
    QuizItem(
        "e1",
        "E",
        "Run a stall at the school fete and try to sell the most",
        "स्कूल मेले में स्टॉल लगाना और सबसे ज़्यादा बिक्री की कोशिश करना",
    ),
    QuizItem(
        "e2",
        "E",
        "Lead a team as class monitor or house captain",
        "क्लास मॉनिटर या हाउस कैप्टन बनकर टीम का नेतृत्व करना",
    ),
    QuizItem(
        "e3",
        "E",
        "Convince people to support your idea or cause",
        "लोगों को अपने विचार या मुहिम के लिए राज़ी करना",
    ),
    QuizItem(
        "e4",
        "E",
        "Start a small business, such as selling rakhis or snacks during festivals",
        "त्योहारों पर राखी या नाश्ता बेचने जैसा छोटा कारोबार शुरू करना",
    ),
    QuizItem(
        "e5",
        "E",
        "Take part in a debate or a Model United Nations",
        "वाद-विवाद प्रतियोगिता या मॉडल यूनाइटेड नेशंस में हिस्सा लेना",
    ),
    QuizItem(
        "e6",
        "E",
        "Plan a school trip and negotiate a good price with the bus operator",
        "स्कूल ट्रिप की योजना बनाना और बस वाले से अच्छे दाम पर बात तय करना",
    ),
    # Conventional
    QuizItem(
        "c1",
        "C",
        "Keep track of the family's monthly expenses in a notebook or an app",
        "परिवार के महीने के ख़र्च का हिसाब कॉपी या ऐप में रखना",
    ),
    QuizItem(
        "c2",
        "C",
        "Arrange notes, files or a library shelf so that everything is easy to find",
        "नोट्स, फ़ाइलें या लाइब्रेरी की शेल्फ़ ऐसे सजाना कि सब आसानी से मिले",
    ),
    QuizItem(
        "c3",
        "C",
        "Enter marks into a spreadsheet and check them for mistakes",
        "स्प्रेडशीट में अंक भरना और उनमें ग़लतियाँ जाँचना",
    ),
    QuizItem(
        "c4",
        "C",
        "Follow a clear step-by-step procedure to get a job done",
        "कोई काम साफ़, क़दम-दर-क़दम तरीक़े से पूरा करना",
    ),
    QuizItem(
        "c5",
        "C",
        "Check an electricity bill or a form for errors before it is submitted",
        "बिजली का बिल या कोई फ़ॉर्म जमा करने से पहले उसकी ग़लतियाँ जाँचना",
    ),
    QuizItem(
        "c6",
        "C",
        "Make a study timetable and a checklist, and stick to them",
        "पढ़ाई का टाइम-टेबल और चेकलिस्ट बनाना और उसका पालन करना",
    ),
)

ITEM_BY_ID: dict[str, QuizItem] = {item.id: item for item in ITEMS}
ITEMS_PER_TYPE: dict[str, int] = {
    letter: sum(1 for item in ITEMS if item.type == letter) for letter in RIASEC_LETTERS
}
