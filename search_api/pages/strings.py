"""Interface strings in English and Hindi, and the labels of the catalogue's fixed vocabularies.

Career names stay in English (they are what students search for and what colleges print);
a career's Hindi name is shown beside it where the catalogue has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["en", "hi"]
LANGS: tuple[Lang, ...] = ("en", "hi")
LANG_COOKIE = "cc_lang"

STRINGS: dict[str, tuple[str, str]] = {
    # frame
    "site_name": ("Career Compass", "करियर कम्पास"),
    "tagline": (
        "Careers for students in Class 11 and 12",
        "कक्षा 11 और 12 के छात्रों के लिए करियर",
    ),
    "skip": ("Skip to main content", "मुख्य सामग्री पर जाएँ"),
    "nav_label": ("Main", "मुख्य"),
    "nav_explore": ("Explore", "खोजें"),
    "nav_for_you": ("For you", "आपके लिए"),
    "nav_quiz": ("Interest quiz", "रुचि प्रश्नोत्तरी"),
    "nav_compare": ("Compare", "तुलना"),
    "nav_chat": ("Ask a counsellor", "काउंसलर से पूछें"),
    "lang_switch": ("हिन्दी", "English"),
    "lang_switch_label": ("हिन्दी में देखें", "View in English"),
    "footer_salary": (
        "Salaries are typical figures in India in lakh rupees a year (1 lakh = ₹1,00,000): "
        "starting, mid-career (about 8 to 10 years) and senior.",
        "वेतन भारत के सामान्य आँकड़े हैं, लाख रुपये प्रति वर्ष में (1 लाख = ₹1,00,000): शुरुआती, "
        "मध्य-करियर (लगभग 8 से 10 साल) और वरिष्ठ।",
    ),
    # errors
    "error_service_down": (
        "This part of Career Compass is unavailable right now because one of our services is "
        "down. Please try again in a minute.",
        "करियर कम्पास का यह हिस्सा अभी उपलब्ध नहीं है, क्योंकि हमारी एक सेवा बंद है। कृपया एक "
        "मिनट बाद फिर कोशिश करें।",
    ),
    "error_network": (
        "Could not reach Career Compass. Check your connection and try again.",
        "करियर कम्पास तक नहीं पहुँच सके। अपना कनेक्शन जाँचें और फिर कोशिश करें।",
    ),
    "error_invalid": (
        "Some of what this link asks for is not valid: {details}",
        "इस लिंक में कुछ बातें सही नहीं हैं: {details}",
    ),
    "recs_degraded": (
        "Recommendations are running in a simpler backup mode right now: the interest part "
        "uses the careers' interest types only, not how their descriptions read.",
        "सुझाव अभी सरल बैकअप मोड में चल रहे हैं: रुचि वाला हिस्सा केवल करियर के रुचि-प्रकारों "
        "से निकाला गया है, उनके विवरण से नहीं।",
    ),
    "degraded": (
        "Search is running in a simpler backup mode right now, so results may be less "
        "precise and matches are not highlighted.",
        "खोज अभी सरल बैकअप मोड में चल रही है, इसलिए परिणाम कम सटीक हो सकते हैं और मेल खाते "
        "शब्द हाइलाइट नहीं होंगे।",
    ),
    "ignored": (
        "Some parts of this link were not understood and were left out: {items}",
        "इस लिंक के कुछ हिस्से समझ नहीं आए और छोड़ दिए गए: {items}",
    ),
    "not_found_title": ("Page not found", "पेज नहीं मिला"),
    "not_found_text": (
        "There is nothing at this address. The career may have been renamed.",
        "इस पते पर कुछ नहीं है। हो सकता है करियर का नाम बदल गया हो।",
    ),
    "unavailable_title": ("Temporarily unavailable", "अस्थायी रूप से उपलब्ध नहीं"),
    "back_to_explore": ("Back to explore", "खोज पर लौटें"),
    # explore
    "explore_title": ("Explore careers", "करियर खोजें"),
    "search_label": ("Search careers", "करियर खोजें"),
    "search_hint": (
        "A job, a subject or what you enjoy: doctor, CA, biology, drawing. Spelling "
        "mistakes are fine.",
        "कोई पेशा, विषय या अपनी पसंद लिखें: doctor, CA, biology, drawing। स्पेलिंग की ग़लती चलेगी।",
    ),
    "search_button": ("Search", "खोजें"),
    "suggestions_label": ("Suggestions", "सुझाव"),
    "filters": ("Filters", "फ़िल्टर"),
    "apply_filters": ("Apply filters", "फ़िल्टर लागू करें"),
    "clear_all": ("Clear all filters", "सभी फ़िल्टर हटाएँ"),
    "active_filters": ("Active filters", "लागू फ़िल्टर"),
    "remove_filter": ("Remove filter {label}", "फ़िल्टर हटाएँ: {label}"),
    "more_exams": ("More exams", "और परीक्षाएँ"),
    "any_salary": ("Any salary", "कोई भी वेतन"),
    "facet_category": ("Category", "श्रेणी"),
    "facet_stream": ("Stream", "स्ट्रीम"),
    "facet_work_life_balance": ("Work-life balance", "काम और जीवन का संतुलन"),
    "facet_stress_level": ("Stress", "तनाव"),
    "facet_job_outlook": ("Job outlook", "नौकरी की संभावना"),
    "facet_remote_work": ("Remote work", "घर से काम"),
    "facet_travel_required": ("Travel", "यात्रा"),
    "facet_exam": ("Entrance exam", "प्रवेश परीक्षा"),
    "facet_salary": ("Mid-career salary", "मध्य-करियर वेतन"),
    "sort_label": ("Sort by", "क्रम"),
    "sort_relevance": ("Best match", "सबसे अच्छा मेल"),
    "sort_salary_desc": ("Salary, highest first", "वेतन, सबसे ज़्यादा पहले"),
    "sort_salary_asc": ("Salary, lowest first", "वेतन, सबसे कम पहले"),
    "sort_name": ("Name, A to Z", "नाम, A से Z"),
    "apply_sort": ("Sort", "क्रम लगाएँ"),
    "results_count": ("{n} careers", "{n} करियर"),
    "results_count_one": ("1 career", "1 करियर"),
    "results_for": ("{n} careers for “{q}”", "“{q}” के लिए {n} करियर"),
    "results_for_one": ("1 career for “{q}”", "“{q}” के लिए 1 करियर"),
    "showing": ("Showing {start} to {end} of {total}", "{total} में से {start} से {end}"),
    "did_you_mean": ("Did you mean", "क्या आपका मतलब था"),
    "understood": ("We understood", "हमने समझा"),
    "remove_understood": ("Remove “{label}”", "“{label}” हटाएँ"),
    "search_as_typed": ("Search the words as typed", "शब्द जैसे लिखे वैसे खोजें"),
    "understood_relaxed": (
        "Nothing matched everything you asked, so we relaxed: {labels}",
        "आपकी हर शर्त पर कोई करियर नहीं मिला, इसलिए हमने ढील दी: {labels}",
    ),
    "salary": ("Salary", "वेतन"),
    "lakh_year": ("lakh a year", "लाख प्रति वर्ष"),
    "streams": ("Streams", "स्ट्रीम"),
    "outlook": ("Outlook", "संभावना"),
    "stress": ("Stress", "तनाव"),
    "also_called": ("Also called", "इसे यह भी कहते हैं"),
    "matched_in": ("Matches", "मेल"),
    "zero_title": ("No careers found", "कोई करियर नहीं मिला"),
    "zero_filters": (
        "No career matches all of your filters together.",
        "आपके सभी फ़िल्टर एक साथ किसी करियर से मेल नहीं खाते।",
    ),
    "zero_emptied": (
        "The filter that emptied the list: {label}.",
        "जिस फ़िल्टर से सूची ख़ाली हुई: {label}।",
    ),
    "zero_drop": ("Remove {label} and see {n} careers", "{label} हटाएँ और {n} करियर देखें"),
    "zero_query": (
        "No career matches “{q}”. Check the spelling, or try a broader word.",
        "“{q}” से कोई करियर मेल नहीं खाता। स्पेलिंग जाँचें, या कोई आम शब्द आज़माएँ।",
    ),
    "browse_all": ("Browse all careers", "सभी करियर देखें"),
    "pages": ("Pages", "पेज"),
    "previous": ("Previous", "पिछला"),
    "next": ("Next", "अगला"),
    "page_n": ("Page {n}", "पेज {n}"),
    "saved_title": ("Your saved careers", "आपके सहेजे हुए करियर"),
    # career detail
    "save": ("Save", "सहेजें"),
    "saved": ("Saved", "सहेजा गया"),
    "compare_this": ("Compare with others", "दूसरों से तुलना करें"),
    "at_a_glance": ("At a glance", "एक नज़र में"),
    "salary_entry": ("Starting", "शुरुआती"),
    "salary_mid": ("Mid-career", "मध्य-करियर"),
    "salary_senior": ("Senior", "वरिष्ठ"),
    "work_life": ("Work and life", "काम और जीवन"),
    "work_hours": ("Work hours", "काम के घंटे"),
    "work_environment": ("Where you work", "कहाँ काम करेंगे"),
    "travel": ("Travel", "यात्रा"),
    "remote": ("Remote work", "घर से काम"),
    "wlb": ("Work-life balance", "काम और जीवन का संतुलन"),
    "path": ("How to get there", "कैसे पहुँचें"),
    "degree": ("Degree", "डिग्री"),
    "duration": ("Duration", "अवधि"),
    "subjects": ("School subjects", "स्कूल के विषय"),
    "exams": ("Entrance exams", "प्रवेश परीक्षाएँ"),
    "exam_body": ("Conducted by", "आयोजक"),
    "exam_month": ("When", "कब"),
    "exam_level": ("Level", "स्तर"),
    "exam_eligibility": ("Eligibility", "पात्रता"),
    "exam_subjects": ("Subjects", "विषय"),
    "no_exams": (
        "No entrance exam is listed: admission is usually on Class 12 marks or the "
        "institution's own process.",
        "कोई प्रवेश परीक्षा दर्ज नहीं है: दाख़िला आमतौर पर कक्षा 12 के अंकों या संस्थान की "
        "अपनी प्रक्रिया से होता है।",
    ),
    "institutions": ("Top institutions", "प्रमुख संस्थान"),
    "skills": ("Skills", "कौशल"),
    "interests": ("Interests", "रुचियाँ"),
    "interest_types": ("Interest types", "रुचि के प्रकार"),
    "pros": ("Good things", "अच्छी बातें"),
    "cons": ("Hard parts", "कठिनाइयाँ"),
    "suitable_for": ("Suits", "किसके लिए ठीक है"),
    "alternatives": ("Alternatives", "विकल्प"),
    "related": ("More in {category}", "{category} में और"),
    # compare
    "compare_title": ("Compare careers", "करियरों की तुलना"),
    "compare_need_two": (
        "Add at least two careers to compare them side by side (up to four).",
        "तुलना के लिए कम से कम दो करियर जोड़ें (अधिकतम चार)।",
    ),
    "compare_add": ("Add a career", "करियर जोड़ें"),
    "compare_add_hint": (
        "Type a name and choose from the list.",
        "नाम लिखें और सूची से चुनें।",
    ),
    "compare_add_button": ("Add", "जोड़ें"),
    "compare_remove": ("Remove {name}", "{name} हटाएँ"),
    "compare_differs": ("Differs", "अलग"),
    "compare_legend": (
        "Rows marked “Differs” are where these careers are not the same.",
        "“अलग” लिखी पंक्तियों में ये करियर एक जैसे नहीं हैं।",
    ),
    "compare_full": (
        "You are comparing four careers, the most at once. Remove one to add another.",
        "आप चार करियरों की तुलना कर रहे हैं, जो एक बार में सबसे ज़्यादा है। दूसरा जोड़ने के लिए एक हटाएँ।",
    ),
    "compare_not_found": ("Not found and left out: {items}", "नहीं मिले और छोड़ दिए गए: {items}"),
    "compare_add_none": ("No career matches “{q}”.", "“{q}” से कोई करियर मेल नहीं खाता।"),
    "compare_common": ("Skills they share", "साझा कौशल"),
    "compare_field": ("Compared", "तुलना"),
    "exams_short": ("Entrance exams", "प्रवेश परीक्षाएँ"),
    # for you
    "for_you_title": ("Careers for you", "आपके लिए करियर"),
    "for_you_intro": (
        "Tell us a little about yourself. Nothing is stored: your answers stay in this page's "
        "address, so you can bookmark or share it.",
        "अपने बारे में थोड़ा बताइए। कुछ भी सहेजा नहीं जाता: आपके जवाब इसी पेज के पते में रहते हैं, "
        "ताकि आप उसे बुकमार्क या साझा कर सकें।",
    ),
    "profile_heading": ("Your profile", "आपकी प्रोफ़ाइल"),
    "grade": ("Class", "कक्षा"),
    "grade_11": ("Class 11", "कक्षा 11"),
    "grade_12": ("Class 12", "कक्षा 12"),
    "stream": ("Stream", "स्ट्रीम"),
    "choose": ("Choose", "चुनें"),
    "interests_label": ("What do you enjoy?", "आपको क्या पसंद है?"),
    "interests_hint": (
        "Separate with commas, for example: biology, helping people, drawing",
        "अल्पविराम से अलग करें, जैसे: biology, helping people, drawing",
    ),
    "skills_label": ("What are you good at?", "आप किसमें अच्छे हैं?"),
    "skills_hint": (
        "Separate with commas, for example: maths, communication, patience",
        "अल्पविराम से अलग करें, जैसे: maths, communication, patience",
    ),
    "salary_hope": (
        "Hoped-for mid-career pay, in lakh a year",
        "मध्य-करियर में चाहा गया वेतन, लाख प्रति वर्ष में",
    ),
    "salary_from": ("At least", "कम से कम"),
    "salary_to": ("At most", "अधिक से अधिक"),
    "work_prefs": ("Work preferences", "काम से जुड़ी पसंद"),
    "remote_only": (
        "Only careers with remote or hybrid work",
        "केवल वे करियर जिनमें घर से या मिला-जुला काम हो",
    ),
    "max_travel": ("Most travel I accept", "मैं अधिकतम कितनी यात्रा करूँगा"),
    "min_wlb": ("Work-life balance at least", "काम-जीवन संतुलन कम से कम"),
    "max_stress": ("Stress at most", "तनाव अधिक से अधिक"),
    "any": ("Any", "कोई भी"),
    "get_recs": ("Show careers for me", "मेरे लिए करियर दिखाएँ"),
    "from_quiz": ("Interest types from your quiz", "आपकी प्रश्नोत्तरी से रुचि के प्रकार"),
    "take_quiz": (
        "Not sure what you enjoy? Take the interest quiz",
        "पक्का नहीं कि क्या पसंद है? रुचि प्रश्नोत्तरी दें",
    ),
    "retake_quiz": ("Take the quiz again", "प्रश्नोत्तरी फिर से दें"),
    "recs_heading": ("Your matches", "आपके लिए मेल"),
    "match": ("Match", "मेल"),
    "part_stream": ("Stream", "स्ट्रीम"),
    "part_interest": ("Interests", "रुचियाँ"),
    "part_skill": ("Skills", "कौशल"),
    "part_salary": ("Salary", "वेतन"),
    "part_detail": (
        "{label}: {value} × {weight} = {points} points",
        "{label}: {value} × {weight} = {points} अंक",
    ),
    "formula": (
        "Match = 0.3 × stream + 0.4 × interests + 0.2 × skills + 0.1 × salary. Each part is "
        "from 0 to 1; the bars show each part.",
        "मेल = 0.3 × स्ट्रीम + 0.4 × रुचियाँ + 0.2 × कौशल + 0.1 × वेतन। हर हिस्सा 0 से 1 तक है; "
        "पट्टियाँ हर हिस्सा दिखाती हैं।",
    ),
    "why": ("Why", "क्यों"),
    "no_recs": (
        "No career fits every limit you set. Try allowing more travel or stress, or a lower "
        "salary.",
        "कोई करियर आपकी सभी शर्तों पर खरा नहीं उतरता। ज़्यादा यात्रा या तनाव, या कम वेतन आज़माएँ।",
    ),
    "form_problems": ("Please fix this:", "कृपया इसे ठीक करें:"),
    "error_grade": ("Choose your class.", "अपनी कक्षा चुनें।"),
    "error_stream": ("Choose your stream.", "अपनी स्ट्रीम चुनें।"),
    "error_salary_number": (
        "Salary must be a number of lakh, such as 6 or 12.5.",
        "वेतन लाख में एक संख्या होनी चाहिए, जैसे 6 या 12.5।",
    ),
    "error_salary_order": (
        "The lowest salary is more than the highest.",
        "न्यूनतम वेतन अधिकतम से ज़्यादा है।",
    ),
    "error_invalid_profile": (
        "Some answers are too long or too many: at most 20 interests and 20 skills.",
        "कुछ जवाब बहुत लंबे या बहुत ज़्यादा हैं: अधिकतम 20 रुचियाँ और 20 कौशल।",
    ),
    # quiz
    "quiz_title": ("Interest quiz", "रुचि प्रश्नोत्तरी"),
    "quiz_intro": (
        "36 short activities. For each one, say how much you would enjoy it, not whether you "
        "are good at it. There are no right or wrong answers, and it takes about five minutes.",
        "36 छोटी गतिविधियाँ। हर एक के लिए बताइए कि आपको वह कितनी अच्छी लगेगी, न कि आप उसमें "
        "कितने अच्छे हैं। कोई जवाब सही या ग़लत नहीं है; लगभग पाँच मिनट लगेंगे।",
    ),
    "quiz_model": (
        "The quiz scores the six interest types of the Holland (RIASEC) model, which career "
        "counsellors use worldwide. The activities are our own.",
        "यह प्रश्नोत्तरी हॉलैंड (RIASEC) मॉडल के छह रुचि प्रकारों को मापती है, जिसे दुनिया भर के "
        "करियर सलाहकार इस्तेमाल करते हैं। गतिविधियाँ हमारी अपनी लिखी हैं।",
    ),
    "quiz_progress": ("{n} of {total} answered", "{total} में से {n} के जवाब दिए"),
    "quiz_activity": ("Activity {n}", "गतिविधि {n}"),
    "quiz_submit": ("See my result", "मेरा परिणाम देखें"),
    "quiz_result": ("Your interest profile", "आपकी रुचि प्रोफ़ाइल"),
    "quiz_code": ("Your strongest types: {code}", "आपके सबसे मज़बूत प्रकार: {code}"),
    "quiz_answered": ("You answered {n} of {total}.", "आपने {total} में से {n} के जवाब दिए।"),
    "quiz_chart": ("Score for each interest type, out of 100", "हर रुचि प्रकार का अंक, 100 में से"),
    "quiz_to_for_you": (
        "See careers that fit these interests",
        "इन रुचियों से मेल खाते करियर देखें",
    ),
    "quiz_types_heading": ("The six interest types", "रुचि के छह प्रकार"),
    "quiz_none": (
        "Answer at least one activity to see a result.",
        "परिणाम देखने के लिए कम से कम एक गतिविधि का जवाब दें।",
    ),
    "quiz_change": ("Change your answers", "अपने जवाब बदलें"),
    # accounts
    "nav_account": ("My account", "मेरा खाता"),
    "nav_sign_in": ("Sign in", "साइन इन"),
    "sign_in_title": ("Sign in", "साइन इन करें"),
    "sign_in_intro": (
        "Sign in to keep your profile and get search results sorted for you.",
        "अपनी प्रोफ़ाइल सहेजने और अपने लिए छाँटे गए खोज परिणाम पाने के लिए साइन इन करें।",
    ),
    "sign_in_button": ("Sign in", "साइन इन करें"),
    "signin_wrong": (
        "That email and password do not match an account. Check both and try again.",
        "यह ईमेल और पासवर्ड किसी खाते से मेल नहीं खाते। दोनों जाँचें और फिर कोशिश करें।",
    ),
    "no_account": ("No account yet?", "अभी खाता नहीं है?"),
    "have_account": ("Already have an account?", "पहले से खाता है?"),
    "sign_up_title": ("Create an account", "खाता बनाएँ"),
    "sign_up_intro": (
        "An account saves your profile, so For you and search remember it on any device.",
        "खाता आपकी प्रोफ़ाइल सहेजता है, ताकि 'आपके लिए' और खोज हर डिवाइस पर उसे याद रखें।",
    ),
    "sign_up_button": ("Create account", "खाता बनाएँ"),
    "display_name": ("Name to show", "दिखाने वाला नाम"),
    "display_name_hint": (
        "A first name or a nickname is enough.",
        "पहला नाम या कोई उपनाम काफ़ी है।",
    ),
    "email": ("Email", "ईमेल"),
    "password": ("Password", "पासवर्ड"),
    "password_hint": (
        "At least 10 characters, letters mixed with digits or symbols. Not a common password, "
        "and not your email or name.",
        "कम से कम 10 अक्षर, अक्षरों के साथ अंक या चिह्न। कोई आम पासवर्ड नहीं, और आपका ईमेल या नाम नहीं।",
    ),
    "privacy_note": (
        "We ask only for a name to show, an email and a password. Your interests, skills and "
        "state are stored encrypted, and you can delete everything at any time.",
        "हम केवल दिखाने वाला नाम, ईमेल और पासवर्ड माँगते हैं। आपकी रुचियाँ, कौशल और राज्य "
        "एन्क्रिप्ट करके रखे जाते हैं, और आप कभी भी सब कुछ मिटा सकते हैं।",
    ),
    "signup_taken": (
        "An account with this email already exists. Sign in instead.",
        "इस ईमेल से पहले से एक खाता है। इसके बजाय साइन इन करें।",
    ),
    "signup_weak": (
        "Choose a stronger password:",
        "ज़्यादा मज़बूत पासवर्ड चुनें:",
    ),
    "signup_bad_email": (
        "That does not look like an email address.",
        "यह ईमेल पता नहीं लगता।",
    ),
    "signup_bad_name": (
        "Write a name to show (up to 60 characters).",
        "दिखाने के लिए एक नाम लिखें (60 अक्षर तक)।",
    ),
    "error_form_expired": (
        "This form had expired, so nothing was changed. Please try again.",
        "यह फ़ॉर्म पुराना हो गया था, इसलिए कुछ नहीं बदला। कृपया फिर कोशिश करें।",
    ),
    "account_title": ("My account", "मेरा खाता"),
    "account_profile_link": ("See or change your saved profile", "अपनी सहेजी प्रोफ़ाइल देखें या बदलें"),
    "sign_out": ("Sign out", "साइन आउट करें"),
    "signed_out_note": ("You are signed out.", "आप साइन आउट हो गए हैं।"),
    "delete_heading": ("Delete my account and data", "मेरा खाता और डेटा मिटाएँ"),
    "delete_text": (
        "This deletes your account, your saved profile, your sign-ins and everything recorded "
        "about what you looked at. It cannot be undone.",
        "इससे आपका खाता, सहेजी प्रोफ़ाइल, साइन-इन और आपने जो देखा उसका सारा रिकॉर्ड मिट जाएगा। "
        "इसे वापस नहीं किया जा सकता।",
    ),
    "delete_confirm": (
        "Yes, delete my account and all my data",
        "हाँ, मेरा खाता और मेरा सारा डेटा मिटा दें",
    ),
    "delete_confirm_dialog": (
        "Delete your account and all your data for good?",
        "क्या आप अपना खाता और सारा डेटा हमेशा के लिए मिटाना चाहते हैं?",
    ),
    "delete_unconfirmed": (
        "Tick the box to confirm, then press Delete again.",
        "पुष्टि के लिए बॉक्स पर निशान लगाएँ, फिर दोबारा मिटाएँ दबाएँ।",
    ),
    "delete_button": ("Delete my account", "मेरा खाता मिटाएँ"),
    "deleted_title": ("Account deleted", "खाता मिटा दिया गया"),
    "deleted_text": (
        "Your account and all its data have been deleted, and you are signed out.",
        "आपका खाता और उसका सारा डेटा मिटा दिया गया है, और आप साइन आउट हो गए हैं।",
    ),
    "profile_saved": ("Saved to your account.", "आपके खाते में सहेजा गया।"),
    "profile_saved_hint": (
        "You are signed in: this profile is saved to your account and sorts your searches.",
        "आप साइन इन हैं: यह प्रोफ़ाइल आपके खाते में सहेजी जाती है और आपकी खोज को छाँटती है।",
    ),
    "profile_sign_up": (
        "Create an account to save this profile",
        "यह प्रोफ़ाइल सहेजने के लिए खाता बनाएँ",
    ),
    "save_and_show": ("Save and show careers for me", "सहेजें और मेरे लिए करियर दिखाएँ"),
    "error_profile_unavailable": (
        "Your saved profile could not be loaded just now. You can still fill in the form.",
        "आपकी सहेजी प्रोफ़ाइल अभी लोड नहीं हो सकी। आप फ़ॉर्म फिर भी भर सकते हैं।",
    ),
    "personal_on": (
        "Sorted for you with your saved profile: each card shows how well it fits you.",
        "आपकी सहेजी प्रोफ़ाइल से आपके लिए छाँटा गया: हर कार्ड दिखाता है कि वह आपसे कितना मेल खाता है।",
    ),
    "personal_turn_off": ("Show without personalising", "बिना निजीकरण के दिखाएँ"),
    "personal_off": (
        "Personalising is off: results are in plain search order.",
        "निजीकरण बंद है: परिणाम सामान्य खोज क्रम में हैं।",
    ),
    "personal_turn_on": ("Sort for me again", "फिर से मेरे लिए छाँटें"),
    "personal_none": (
        "Save a profile to get results sorted for you.",
        "अपने लिए छाँटे गए परिणाम पाने के लिए प्रोफ़ाइल सहेजें।",
    ),
    "personal_setup": ("Fill in For you", "'आपके लिए' भरें"),
    "fit_score": ("Fit for you: {n}%", "आपसे मेल: {n}%"),
}

# the counsellor chat (its replies come from the agent, in English)
STRINGS.update(
    {
        "chat_title": ("Ask a counsellor", "काउंसलर से पूछें"),
        "chat_intro": (
            "Ask about careers, entrance exams, salaries or a plan to reach a career. Every "
            "answer comes from our catalogue. Replies are in English.",
            "करियर, प्रवेश परीक्षाओं, वेतन या किसी करियर तक पहुँचने की योजना के बारे में पूछें। "
            "हर जवाब हमारी सूची से आता है। जवाब अंग्रेज़ी में आते हैं।",
        ),
        "chat_log": ("Conversation", "बातचीत"),
        "chat_you": ("You", "आप"),
        "chat_agent": ("Counsellor", "काउंसलर"),
        "chat_cited": ("Careers in this answer:", "इस जवाब में करियर:"),
        "chat_label": ("Your question", "आपका सवाल"),
        "chat_hint": (
            "For example: I am in PCB, what careers after 12th? Press Enter to send, "
            "Shift+Enter for a new line.",
            "जैसे: मैं PCB में हूँ, 12वीं के बाद कौन से करियर? भेजने के लिए Enter, नई पंक्ति के "
            "लिए Shift+Enter दबाएँ।",
        ),
        "chat_send": ("Send", "भेजें"),
        "chat_follow_ups": ("You could ask", "आप यह पूछ सकते हैं"),
        "chat_thinking": ("The counsellor is answering…", "काउंसलर जवाब दे रहे हैं…"),
        "chat_plan_title": ("Your plan", "आपकी योजना"),
        "chat_plan_undated": ("Any time", "कभी भी"),
        "chat_down": (
            "The counsellor is unavailable right now because one of our services is down. "
            "Please try again in a minute.",
            "हमारी एक सेवा बंद होने के कारण काउंसलर अभी उपलब्ध नहीं हैं। कृपया एक मिनट बाद फिर कोशिश करें।",
        ),
        "chat_busy": (
            "Too many questions in a short time. Please wait a minute and send it again.",
            "कम समय में बहुत सारे सवाल। कृपया एक मिनट रुककर फिर से भेजें।",
        ),
        "chat_expired": (
            "Your earlier conversation had ended, so this question started a new one.",
            "आपकी पिछली बातचीत समाप्त हो गई थी, इसलिए यह सवाल नई बातचीत में है।",
        ),
        "chat_bad_message": (
            "Please write a question of up to 2,000 characters.",
            "कृपया 2,000 अक्षरों तक का सवाल लिखें।",
        ),
    }
)

VALUE_LABELS: dict[str, tuple[str, str]] = {
    # stress, work-life balance, outlook, remote, travel
    "Low": ("Low", "कम"),
    "Medium": ("Medium", "मध्यम"),
    "High": ("High", "ज़्यादा"),
    "Poor": ("Poor", "ख़राब"),
    "Moderate": ("Moderate", "ठीक-ठाक"),
    "Good": ("Good", "अच्छा"),
    "Excellent": ("Excellent", "बहुत अच्छा"),
    "Stable": ("Stable", "स्थिर"),
    "Growing": ("Growing", "बढ़ती हुई"),
    "High Demand": ("High demand", "बहुत माँग"),
    "None": ("None", "नहीं"),
    "Partial": ("Partly", "कुछ हद तक"),
    "Full": ("Fully remote", "पूरी तरह घर से"),
    "Rare": ("Rare", "कभी-कभार"),
    "Occasional": ("Occasional", "समय-समय पर"),
    "Frequent": ("Frequent", "अक्सर"),
    # salary bands (search.facets.SALARY_BANDS labels)
    "Under 3 lakh": ("Under ₹3 lakh", "₹3 लाख से कम"),
    "3-6 lakh": ("₹3 to 6 lakh", "₹3 से 6 लाख"),
    "6-10 lakh": ("₹6 to 10 lakh", "₹6 से 10 लाख"),
    "10-20 lakh": ("₹10 to 20 lakh", "₹10 से 20 लाख"),
    "20 lakh and above": ("₹20 lakh and above", "₹20 लाख और ज़्यादा"),
    # categories
    "Technology": ("Technology", "टेक्नोलॉजी"),
    "Engineering": ("Engineering", "इंजीनियरिंग"),
    "Medicine": ("Medicine", "चिकित्सा"),
    "Allied Health": ("Allied Health", "सहायक स्वास्थ्य सेवाएँ"),
    "AYUSH": ("AYUSH", "आयुष"),
    "Nursing": ("Nursing", "नर्सिंग"),
    "Pharmacy": ("Pharmacy", "फ़ार्मेसी"),
    "Law": ("Law", "क़ानून"),
    "Commerce & Finance": ("Commerce & Finance", "कॉमर्स और वित्त"),
    "Management": ("Management", "प्रबंधन"),
    "Design": ("Design", "डिज़ाइन"),
    "Architecture": ("Architecture", "वास्तुकला"),
    "Media & Journalism": ("Media & Journalism", "मीडिया और पत्रकारिता"),
    "Arts & Performing Arts": ("Arts & Performing Arts", "कला और प्रदर्शन कलाएँ"),
    "Civil Services": ("Civil Services", "सिविल सेवाएँ"),
    "Defence": ("Defence", "रक्षा सेवाएँ"),
    "Aviation": ("Aviation", "विमानन"),
    "Merchant Navy": ("Merchant Navy", "मर्चेंट नेवी"),
    "Science & Research": ("Science & Research", "विज्ञान और शोध"),
    "Agriculture & Veterinary": ("Agriculture & Veterinary", "कृषि और पशु चिकित्सा"),
    "Education": ("Education", "शिक्षा"),
    "Hospitality & Culinary": ("Hospitality & Culinary", "आतिथ्य और पाक कला"),
    "Sports": ("Sports", "खेल"),
    "Social Sciences & Psychology": ("Social Sciences & Psychology", "समाज विज्ञान और मनोविज्ञान"),
    "Government & Banking Jobs": ("Government & Banking Jobs", "सरकारी और बैंक नौकरियाँ"),
    "Skilled Trades": ("Skilled Trades", "कुशल कारीगरी"),
    "Emerging Fields": ("Emerging Fields", "उभरते क्षेत्र"),
}


def pick_lang(cookie: str | None) -> Lang:
    return "hi" if cookie == "hi" else "en"


class Translator:
    """t("key", n=3) for interface strings; t.value("High") for vocabulary labels."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._index = LANGS.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        text = STRINGS[key][self._index]
        return text.format(**values) if values else text

    def value(self, value: str) -> str:
        labels = VALUE_LABELS.get(value)
        return labels[self._index] if labels else value

    def pick(self, pair: Mapping[Lang, str]) -> str:
        return pair[self.lang]
