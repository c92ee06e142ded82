"""Demo content: the fifth EU–Central Asia Civil Society Forum and a fictional network.

The forum, its themes and the speakers the press coverage names are real (Almaty, 28–30 January
2025); the agenda's session titles follow its themes. The sixth edition and every organization
below are fictional, and say so, so that nobody mistakes them for real CSOs; the sixth forum's
dates follow the day the demo is loaded, so that its registration is open whenever it is tried.
"""

import datetime

FIFTH_FORUM = {
    "slug": "fifth-eu-central-asia-civil-society-forum",
    "edition": 5,
    "title_en": "Fifth EU–Central Asia Civil Society Forum",
    "title_ru": "Пятый Форум гражданского общества ЕС – Центральная Азия",
    "start_date": datetime.date(2025, 1, 28),
    "end_date": datetime.date(2025, 1, 30),
    "time_zone": "Asia/Almaty",
    "city_en": "Almaty",
    "city_ru": "Алматы",
    "country": "KZ",
    # The venue is demonstration content: a plausible conference hall on a real avenue.
    "venue_en": "Abai Conference Hall (demo venue)",
    "venue_ru": "Конференц-зал «Абай» (демонстрационная площадка)",
    "address_en": "50 Abai Avenue, Almaty 050000",
    "address_ru": "проспект Абая, 50, Алматы 050000",
    "latitude": "43.24072",
    "longitude": "76.91722",
    "directions_en": (
        "From Almaty International Airport: about 35 minutes by taxi, or a city bus to the Abai "
        "Avenue stop.\n\n"
        "By metro: Baikonur station, then five minutes' walk west along Abai Avenue. The "
        "entrance for delegates is on the avenue side; bring the identity document you "
        "registered with."
    ),
    "directions_ru": (
        "Из международного аэропорта Алматы: около 35 минут на такси или городским автобусом до "
        "остановки «проспект Абая».\n\n"
        "На метро: станция «Байконур», затем пять минут пешком на запад по проспекту Абая. "
        "Вход для делегатов — со стороны проспекта; возьмите документ, указанный при "
        "регистрации."
    ),
    "summary_en": (
        "Three days on digital transformation, climate change and the empowerment of youth and "
        "women, with civil society organizations from the five Central Asian countries and their "
        "EU, UN and government partners."
    ),
    "summary_ru": (
        "Три дня о цифровой трансформации, изменении климата и расширении возможностей молодёжи "
        "и женщин — с организациями гражданского общества пяти стран Центральной Азии и их "
        "партнёрами из ЕС, ООН и правительств."
    ),
    "description_en": (
        "Almaty, the largest city and former capital of Kazakhstan, hosted the fifth "
        "EU–Central Asia Civil Society Forum on 28–30 January 2025.\n\n"
        "The forum is a key component of the EU Civil Society Facility project, funded by the "
        "European Union and implemented by the United Nations Office for Project Services "
        "(UNOPS). This four-year initiative empowers civil society organizations from "
        "Kazakhstan, the Kyrgyz Republic, Tajikistan, Turkmenistan and Uzbekistan by fostering "
        "collaboration and advancing their role in sustainable development, transparent "
        "governance and regional decision-making.\n\n"
        "The EU's commitment to Central Asia rests on the EU Strategy on Central Asia and is "
        "implemented through the Global Gateway priorities: digital, climate and energy, "
        "transport, health, and education and research."
    ),
    "description_ru": (
        "Алматы, крупнейший город и бывшая столица Казахстана, 28–30 января 2025 года принял "
        "пятый Форум гражданского общества ЕС – Центральная Азия.\n\n"
        "Форум — ключевая часть проекта «Фонд гражданского общества ЕС», который финансирует "
        "Европейский союз и реализует Управление ООН по обслуживанию проектов (ЮНОПС). Эта "
        "четырёхлетняя инициатива расширяет возможности организаций гражданского общества "
        "Казахстана, Кыргызской Республики, Таджикистана, Туркменистана и Узбекистана, "
        "развивая сотрудничество и их роль в устойчивом развитии, прозрачном управлении и "
        "принятии решений в регионе.\n\n"
        "Приверженность ЕС Центральной Азии основана на Стратегии ЕС по Центральной Азии и "
        "реализуется через приоритеты Global Gateway: цифровые технологии, климат и энергетика, "
        "транспорт, здравоохранение, образование и наука."
    ),
    "how_to_take_part_en": (
        "Approved organizations of the network register their delegates online from their "
        "dashboard while registration is open."
    ),
    "how_to_take_part_ru": (
        "Одобренные организации сети регистрируют своих делегатов онлайн в личном кабинете, "
        "пока открыта регистрация."
    ),
    "themes": ["digital-transformation", "climate-environment", "youth", "women-gender"],
    "status": "published",
    "capacity": 400,
}

SIXTH_FORUM = {
    "slug": "sixth-eu-central-asia-civil-society-forum",
    "edition": 6,
    "title_en": "Sixth EU–Central Asia Civil Society Forum",
    "title_ru": "Шестой Форум гражданского общества ЕС – Центральная Азия",
    # Its dates follow the day the demo is loaded: see next_forum_dates().
    "time_zone": "Asia/Bishkek",
    "city_en": "Bishkek",
    "city_ru": "Бишкек",
    "country": "KG",
    "venue_en": "Ala-Too Conference Centre (demo venue)",
    "venue_ru": "Конференц-центр «Ала-Тоо» (демонстрационная площадка)",
    "address_en": "100 Chui Avenue, Bishkek 720040",
    "address_ru": "проспект Чуй, 100, Бишкек 720040",
    "latitude": "42.87620",
    "longitude": "74.60380",
    "directions_en": (
        "From Manas International Airport: about 30 minutes by taxi. In the city: any trolleybus "
        "along Chui Avenue to Ala-Too Square. (Demonstration content.)"
    ),
    "directions_ru": (
        "Из международного аэропорта «Манас»: около 30 минут на такси. В городе: любой "
        "троллейбус по проспекту Чуй до площади Ала-Тоо. (Демонстрационные данные.)"
    ),
    "summary_en": (
        "Demo content: the next edition's dates and city are placeholders for this demonstration."
    ),
    "summary_ru": "Демонстрационные данные: даты и город следующего форума условные.",
    "description_en": (
        "The next yearly gathering of the network's civil society organizations with EU, UN and "
        "government partners. (Demonstration content: dates and city are placeholders.)"
    ),
    "description_ru": (
        "Следующая ежегодная встреча организаций гражданского общества сети с партнёрами из ЕС, "
        "ООН и правительств. (Демонстрационные данные: даты и город условные.)"
    ),
    "how_to_take_part_en": FIFTH_FORUM["how_to_take_part_en"],
    "how_to_take_part_ru": FIFTH_FORUM["how_to_take_part_ru"],
    "themes": ["digital-transformation", "climate-environment", "governance", "youth"],
    "status": "published",
    "capacity": 300,
    "max_delegates_per_organization": 3,
}

# How far from the day the demo is loaded the next edition lies, and its registration window.
NEXT_FORUM_IN_DAYS = 120
REGISTRATION_OPENED_DAYS_AGO = 30
REGISTRATION_CLOSES_DAYS_BEFORE = 14


def next_forum_dates(today):
    """The sixth forum's dates, counted from `today`, so that the demo works on any day: three
    days four months ahead, registration open since a month ago and until two weeks before."""
    start = today + datetime.timedelta(days=NEXT_FORUM_IN_DAYS)
    opens = today - datetime.timedelta(days=REGISTRATION_OPENED_DAYS_AGO)
    closes = start - datetime.timedelta(days=REGISTRATION_CLOSES_DAYS_BEFORE)
    return {
        "start_date": start,
        "end_date": start + datetime.timedelta(days=2),
        "registration_opens_at": datetime.datetime.combine(
            opens, datetime.time(9), tzinfo=datetime.UTC
        ),
        "registration_closes_at": datetime.datetime.combine(
            closes, datetime.time(12), tzinfo=datetime.UTC
        ),
    }


# The sixth forum's hotel and invitation letter (logistics/).
SIXTH_FORUM_HOTEL = {
    "name": "Hotel Tien Shan (demo)",
    "address": "Bogenbai Batyr street 115, Almaty",
    "phone": "+7 727 000 00 00",
}
SIXTH_FORUM_LETTER = {
    "letterhead": "EU–Central Asia Civil Society Forum\nSecretariat (demo), Almaty, Kazakhstan",
    "signatory_name": "Gulnaz Omirbekova (demo)",
    "signatory_title": "Head of the Forum Secretariat",
}

# Delegates per country at the sixth forum.
SIXTH_FORUM_QUOTAS = {"KZ": 70, "KG": 70, "TJ": 55, "TM": 35, "UZ": 70}

# Fictional delegates at the sixth forum: (index in ORGANIZATIONS, name, position, gender, age).
SIXTH_FORUM_DELEGATES = [
    (0, "Aliya Demo-Sarsenova", "Programme coordinator", "female", "25-34"),
    (1, "Timur Demo-Akhmetov", "Digital rights researcher", "male", "35-49"),
    (2, "Dana Demo-Omarova", "Youth council chair", "female", "under-25"),
    (3, "Gulnara Demo-Iskakova", "Director", "female", "50-64"),
    (8, "Azamat Demo-Toktogulov", "Community organizer", "male", "35-49"),
    (9, "Aizada Demo-Bekova", "Civic tech lead", "female", "25-34"),
    (11, "Cholpon Demo-Asanova", "Chair of the board", "female", "50-64"),
    (16, "Farrukh Demo-Rahimov", "Water engineer", "male", "35-49"),
    (18, "Madina Demo-Nazarova", "Project manager", "female", "25-34"),
    (24, "Ogulgerek Demo-Annaeva", "Social worker", "female", "35-49"),
    (25, "Merdan Demo-Orazov", "Ecologist", "", ""),
    (30, "Bakhtiyor Demo-Yusupov", "Executive director", "male", "65+"),
    (31, "Nilufar Demo-Karimova", "Data journalist", "female", "under-25"),
    (34, "Ajiniyaz Demo-Seytmuratov", "Volunteer coordinator", "male", "under-25"),
]

EVENTS = [FIFTH_FORUM, SIXTH_FORUM]

TRACKS = [
    ("Digital transformation", "Цифровая трансформация"),
    ("Climate and energy", "Климат и энергетика"),
    ("Youth and women", "Молодёжь и женщины"),
    ("Governance and partnerships", "Управление и партнёрство"),
]

ROOMS = [
    ("Plenary hall", "Пленарный зал", 400),
    ("Hall A", "Зал A", 120),
    ("Workshop room B", "Зал для семинаров B", 40),
]

FICTIONAL_BIO_EN = "A fictional speaker of the demonstration content."
FICTIONAL_BIO_RU = "Вымышленный спикер демонстрационных данных."

SPEAKERS = [
    {
        "slug": "aleska-simkic",
        "name": "Aleška Simkić",
        "honorific": "H.E.",
        "position_en": "Ambassador of the European Union to Kazakhstan",
        "position_ru": "Посол Европейского союза в Казахстане",
        "institution_en": "Delegation of the European Union to Kazakhstan",
        "institution_ru": "Представительство Европейского союза в Казахстане",
        "country": "",
        "precedence": 10,
        "bio_en": (
            "At the forum she highlighted the importance of civil society in advancing democratic "
            "governance and sustainable development, and the EU's commitment to empowering youth "
            "and women."
        ),
        "bio_ru": (
            "На форуме подчеркнула значение гражданского общества для демократического управления "
            "и устойчивого развития и приверженность ЕС расширению возможностей молодёжи и женщин."
        ),
    },
    {
        "slug": "roman-vassilenko",
        "name": "Roman Vassilenko",
        "honorific": "",
        "position_en": "Deputy Minister of Foreign Affairs of Kazakhstan",
        "position_ru": "Заместитель министра иностранных дел Казахстана",
        "institution_en": "Ministry of Foreign Affairs of the Republic of Kazakhstan",
        "institution_ru": "Министерство иностранных дел Республики Казахстан",
        "country": "KZ",
        "precedence": 20,
        "bio_en": (
            "He emphasized Kazakhstan's view of civil society as an essential partner in its "
            "development agenda and the forum as a platform for dialogue between CSOs and "
            "governments."
        ),
        "bio_ru": (
            "Подчеркнул, что Казахстан видит в гражданском обществе важного партнёра в повестке "
            "развития, а форум — площадкой для диалога ОГО и правительств."
        ),
    },
    {
        "slug": "stephen-omalley",
        "name": "Stephen O’Malley",
        "honorific": "",
        "position_en": "United Nations Resident Coordinator in Kazakhstan",
        "position_ru": "Координатор-резидент ООН в Казахстане",
        "institution_en": "United Nations in Kazakhstan",
        "institution_ru": "Организация Объединённых Наций в Казахстане",
        "country": "",
        "precedence": 30,
        "bio_en": (
            "He highlighted the collaboration between the UN and the EU to advance the SDGs in "
            "Central Asia, engaging with over 7,000 civil society organizations."
        ),
        "bio_ru": (
            "Рассказал о сотрудничестве ООН и ЕС в продвижении ЦУР в Центральной Азии и о работе "
            "с более чем 7000 организаций гражданского общества."
        ),
    },
    # Clearly fictional speakers beyond the press coverage's ("Demo-" names, demo bodies).
    {
        "slug": "aigerim-demo-bekova",
        "name": "Aigerim Demo-Bekova",
        "honorific": "",
        "position_en": "Director, Steppe Digital Rights (demo)",
        "position_ru": "Директор, «Степные цифровые права» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "KZ",
        "precedence": 100,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "timur-demo-rakhimov",
        "name": "Timur Demo-Rakhimov",
        "honorific": "",
        "position_en": "Programme lead, Tashkent Open Data Club (demo)",
        "position_ru": "Руководитель программ, «Клуб открытых данных Ташкента» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "UZ",
        "precedence": 101,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "nigora-demo-alieva",
        "name": "Nigora Demo-Alieva",
        "honorific": "",
        "position_en": "Climate adaptation specialist, Pamir Water Users (demo)",
        "position_ru": "Специалист по адаптации к климату, «Водопользователи Памира» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "TJ",
        "precedence": 102,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "bakyt-demo-osmonov",
        "name": "Bakyt Demo-Osmonov",
        "honorific": "",
        "position_en": "Chair, Ala-Too Youth Network (demo)",
        "position_ru": "Председатель, «Молодёжная сеть Ала-Тоо» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "KG",
        "precedence": 103,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "maral-demo-annaeva",
        "name": "Maral Demo-Annaeva",
        "honorific": "",
        "position_en": "Coordinator, Ashgabat Women's Initiative (demo)",
        "position_ru": "Координатор, «Женская инициатива Ашхабада» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "TM",
        "precedence": 104,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "erlan-demo-sadykov",
        "name": "Erlan Demo-Sadykov",
        "honorific": "",
        "position_en": "Lawyer, Rule of Law Forum (demo)",
        "position_ru": "Юрист, «Форум верховенства права» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "KZ",
        "precedence": 105,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "madina-demo-yusupova",
        "name": "Madina Demo-Yusupova",
        "honorific": "",
        "position_en": "Public health researcher, Nukus Health Volunteers (demo)",
        "position_ru": "Исследователь общественного здоровья, «Волонтёры здоровья Нукуса» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "UZ",
        "precedence": 106,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
    {
        "slug": "sofia-demo-lindqvist",
        "name": "Sofia Demo-Lindqvist",
        "honorific": "",
        "position_en": "Programme manager, EU Civil Society Facility (demo)",
        "position_ru": "Менеджер программ, «Фонд гражданского общества ЕС» (демо)",
        "institution_en": "",
        "institution_ru": "",
        "country": "",
        "precedence": 107,
        "bio_en": FICTIONAL_BIO_EN,
        "bio_ru": FICTIONAL_BIO_RU,
    },
]

# (day, start, end, kind, track index or None, room index, slug, title_en, title_ru,
#  description_en, speakers as (slug, role)); times are local (Asia/Almaty).
SESSIONS = [
    (
        1,
        "09:00",
        "09:30",
        "break",
        None,
        0,
        "registration-and-welcome-coffee",
        "Registration and welcome coffee",
        "Регистрация и приветственный кофе",
        "",
        [],
    ),
    (
        1,
        "09:30",
        "11:00",
        "plenary",
        3,
        0,
        "opening-plenary",
        "Opening plenary: civil society as a partner for sustainable development",
        "Пленарное открытие: гражданское общество как партнёр устойчивого развития",
        "Welcome addresses by the European Union, the host government and the United Nations.",
        [
            ("aleska-simkic", "keynote"),
            ("roman-vassilenko", "keynote"),
            ("stephen-omalley", "keynote"),
        ],
    ),
    (
        1,
        "11:00",
        "11:30",
        "break",
        None,
        0,
        "coffee-break-day-1",
        "Coffee break",
        "Кофе-брейк",
        "",
        [],
    ),
    (
        1,
        "11:30",
        "13:00",
        "panel",
        0,
        0,
        "digital-transformation-and-civic-space",
        "Digital transformation and civic space in Central Asia",
        "Цифровая трансформация и гражданское пространство в Центральной Азии",
        "How digital public services, connectivity and online participation change the work of "
        "civil society organizations.",
        [
            ("sofia-demo-lindqvist", "moderator"),
            ("aigerim-demo-bekova", "speaker"),
            ("timur-demo-rakhimov", "speaker"),
        ],
    ),
    (1, "13:00", "14:00", "break", None, 0, "lunch-day-1", "Lunch", "Обед", "", []),
    (
        1,
        "14:00",
        "15:30",
        "panel",
        1,
        0,
        "climate-change-and-the-green-transition",
        "Climate change and the green transition: the role of CSOs",
        "Изменение климата и зелёный переход: роль ОГО",
        "Community adaptation, clean energy and the monitoring of environmental commitments.",
        [
            ("erlan-demo-sadykov", "moderator"),
            ("nigora-demo-alieva", "speaker"),
            ("maral-demo-annaeva", "speaker"),
        ],
    ),
    (
        1,
        "16:00",
        "17:30",
        "workshop",
        0,
        2,
        "digital-security-for-csos",
        "Workshop: digital security for civil society organizations",
        "Семинар: цифровая безопасность для организаций гражданского общества",
        "Hands-on practices to protect accounts, data and the people an organization works with.",
        [
            ("aigerim-demo-bekova", "speaker"),
        ],
    ),
    (
        1,
        "18:00",
        "20:00",
        "networking",
        None,
        1,
        "welcome-reception",
        "Welcome reception",
        "Приветственный приём",
        "",
        [],
    ),
    (
        2,
        "09:30",
        "11:00",
        "plenary",
        3,
        0,
        "global-gateway-in-central-asia",
        "Global Gateway in Central Asia: digital, energy and transport links",
        "Global Gateway в Центральной Азии: цифровые, энергетические и транспортные связи",
        "Smart investments in quality infrastructure with the highest social and environmental "
        "standards, and what they mean for communities.",
        [("stephen-omalley", "speaker")],
    ),
    (
        2,
        "11:30",
        "13:00",
        "panel",
        2,
        0,
        "empowering-youth",
        "Empowering youth to shape the region's future",
        "Молодёжь формирует будущее региона",
        "Young leaders on participation in decision-making, education and employment.",
        [
            ("maral-demo-annaeva", "moderator"),
            ("bakyt-demo-osmonov", "speaker"),
        ],
    ),
    (
        2,
        "11:30",
        "13:00",
        "workshop",
        1,
        2,
        "community-climate-adaptation",
        "Workshop: climate adaptation projects at community level",
        "Семинар: проекты адаптации к изменению климата на местном уровне",
        "From a local risk assessment to a fundable project proposal.",
        [
            ("nigora-demo-alieva", "speaker"),
        ],
    ),
    (2, "13:00", "14:00", "break", None, 0, "lunch-day-2", "Lunch", "Обед", "", []),
    (
        2,
        "14:00",
        "15:30",
        "panel",
        2,
        0,
        "womens-empowerment-and-gender-equality",
        "Women's empowerment and gender equality",
        "Расширение прав и возможностей женщин и гендерное равенство",
        "Economic empowerment, protection from violence and women's leadership in public life.",
        [
            ("aleska-simkic", "speaker"),
            ("maral-demo-annaeva", "moderator"),
        ],
    ),
    (
        2,
        "16:00",
        "17:30",
        "side_event",
        3,
        1,
        "dialogue-between-csos-and-governments",
        "Side event: a listening state — dialogue between CSOs and governments",
        "Параллельное мероприятие: слышащее государство — диалог ОГО и правительств",
        "How consultation mechanisms turn civil society proposals into policy.",
        [("roman-vassilenko", "speaker")],
    ),
    (
        3,
        "09:30",
        "11:00",
        "panel",
        3,
        0,
        "transparent-governance-and-rule-of-law",
        "Transparent governance, accountability and the rule of law",
        "Прозрачное управление, подотчётность и верховенство права",
        "Civil society as a driver of transparency and accountability.",
        [
            ("sofia-demo-lindqvist", "moderator"),
            ("erlan-demo-sadykov", "speaker"),
        ],
    ),
    (
        3,
        "09:30",
        "11:00",
        "workshop",
        3,
        2,
        "reporting-on-the-sdgs",
        "Workshop: measuring and reporting impact on the SDGs",
        "Семинар: измерение вклада в ЦУР и отчётность",
        "Indicators, disaggregated data and reports that donors and communities can use.",
        [
            ("timur-demo-rakhimov", "speaker"),
        ],
    ),
    (
        3,
        "11:30",
        "13:00",
        "panel",
        3,
        0,
        "health-education-and-research",
        "Health, education and research partnerships",
        "Партнёрства в здравоохранении, образовании и науке",
        "Strengthening health, education and research systems together with civil society.",
        [
            ("bakyt-demo-osmonov", "moderator"),
            ("madina-demo-yusupova", "speaker"),
        ],
    ),
    (3, "13:00", "14:00", "break", None, 0, "lunch-day-3", "Lunch", "Обед", "", []),
    (
        3,
        "14:00",
        "15:30",
        "plenary",
        3,
        0,
        "closing-plenary",
        "Closing plenary: the forum's recommendations",
        "Заключительное пленарное заседание: рекомендации форума",
        "Rapporteurs of the panels present the forum's recommendations to partners.",
        [("stephen-omalley", "speaker"), ("aleska-simkic", "speaker")],
    ),
]

# Hybrid sessions of the fifth forum (clearly fictional addresses): the opening plenary was
# streamed for everyone and recorded; the workshops' video calls were for delegates only.
SESSION_ONLINE = {
    "opening-plenary": {
        "online_url": "https://stream.example.org/forum-2025/opening",
        "online_access": "public",
        "recording_url": "https://video.example.org/forum-2025/opening",
    },
}
WORKSHOP_ONLINE = {
    "online_url": "https://call.example.org/forum-2025/workshop",
    "online_access": "delegates",
}

# The sessions held in Russian (the others are in English); both with interpretation.
SESSIONS_IN_RUSSIAN = {
    "digital-security-for-csos",
    "community-climate-adaptation",
    "dialogue-between-csos-and-governments",
    "reporting-on-the-sdgs",
}

INTERPRETATION = {
    "en": ("English–Russian simultaneous interpretation", "Синхронный перевод на русский"),
    "ru": ("Russian–English simultaneous interpretation", "Синхронный перевод на английский"),
}

SESSION_DESCRIPTIONS_RU = {
    "opening-plenary": (
        "Приветственные выступления Европейского союза, правительства принимающей страны и "
        "Организации Объединённых Наций."
    ),
    "digital-transformation-and-civic-space": (
        "Как цифровые государственные услуги, доступ к связи и онлайн-участие меняют работу "
        "организаций гражданского общества."
    ),
    "climate-change-and-the-green-transition": (
        "Адаптация сообществ, чистая энергетика и мониторинг экологических обязательств."
    ),
    "digital-security-for-csos": (
        "Практические приёмы защиты учётных записей, данных и людей, с которыми работает "
        "организация."
    ),
    "global-gateway-in-central-asia": (
        "Разумные инвестиции в качественную инфраструктуру по самым высоким социальным и "
        "экологическим стандартам — и что они значат для местных сообществ."
    ),
    "empowering-youth": "Молодые лидеры об участии в принятии решений, образовании и занятости.",
    "community-climate-adaptation": (
        "От оценки местных рисков к проектной заявке, которую готовы профинансировать."
    ),
    "womens-empowerment-and-gender-equality": (
        "Экономические возможности, защита от насилия и лидерство женщин в общественной жизни."
    ),
    "dialogue-between-csos-and-governments": (
        "Как механизмы консультаций превращают предложения гражданского общества в "
        "государственную политику."
    ),
    "transparent-governance-and-rule-of-law": (
        "Гражданское общество как движущая сила прозрачности и подотчётности."
    ),
    "reporting-on-the-sdgs": (
        "Индикаторы, дезагрегированные данные и отчёты, полезные донорам и сообществам."
    ),
    "health-education-and-research": (
        "Укрепление систем здравоохранения, образования и науки вместе с гражданским обществом."
    ),
    "closing-plenary": "Докладчики панелей представляют партнёрам рекомендации форума.",
}

# Fictional organizations: (country, city, name, name in the local script, acronym,
#  legal form, year founded, focus areas, SDGs, languages, visibility, status).
CITIES = {
    "KZ": ["Almaty", "Astana", "Shymkent", "Karaganda"],
    "KG": ["Bishkek", "Osh", "Karakol", "Naryn"],
    "TJ": ["Dushanbe", "Khujand", "Khorog", "Bokhtar"],
    "TM": ["Ashgabat", "Mary", "Turkmenabat", "Dashoguz"],
    "UZ": ["Tashkent", "Samarkand", "Bukhara", "Nukus"],
}

LANGUAGES = {
    "KZ": ["kk", "ru"],
    "KG": ["ky", "ru"],
    "TJ": ["tg", "ru"],
    "TM": ["tk", "ru"],
    "UZ": ["uz", "ru"],
}

ORGANIZATIONS = [
    (
        "KZ",
        "Zhasyl Qala (demo)",
        "Жасыл Қала",
        "ZQ",
        "association",
        2012,
        ["climate-environment", "energy"],
        [7, 11, 13],
    ),
    (
        "KZ",
        "Steppe Digital Rights Lab (demo)",
        "Цифровые права степи",
        "SDRL",
        "non_commercial",
        2018,
        ["digital-transformation", "human-rights"],
        [9, 16],
    ),
    (
        "KZ",
        "Almaty Youth Voices (demo)",
        "Алматы жастар үні",
        "AYV",
        "initiative",
        2020,
        ["youth", "education-research"],
        [4, 10],
    ),
    (
        "KZ",
        "Women of the Great Steppe Foundation (demo)",
        "Ұлы Дала әйелдері",
        "WGSF",
        "foundation",
        2009,
        ["women-gender", "social-inclusion"],
        [5, 8],
    ),
    (
        "KZ",
        "Caspian Clean Water Alliance (demo)",
        "Каспий таза су",
        "CCWA",
        "union",
        2015,
        ["climate-environment", "health"],
        [6, 14],
    ),
    (
        "KZ",
        "Open Budget Kazakhstan (demo)",
        "Ашық бюджет",
        "OBK",
        "association",
        2011,
        ["governance"],
        [16, 17],
    ),
    (
        "KZ",
        "Inclusive Astana (demo)",
        "Инклюзивная Астана",
        "",
        "association",
        2016,
        ["social-inclusion", "health"],
        [3, 10],
    ),
    (
        "KZ",
        "Karaganda Miners' Health Initiative (demo)",
        "Здоровье шахтёров",
        "KMHI",
        "initiative",
        2019,
        ["health"],
        [3, 8],
    ),
    (
        "KG",
        "Ala-Too Mountain Communities (demo)",
        "Ала-Тоо тоо коомдору",
        "AMC",
        "association",
        2008,
        ["climate-environment", "social-inclusion"],
        [1, 13, 15],
    ),
    (
        "KG",
        "Bishkek Civic Tech Hub (demo)",
        "Бишкек цифралык хаб",
        "BCTH",
        "non_commercial",
        2017,
        ["digital-transformation", "governance"],
        [9, 16],
    ),
    (
        "KG",
        "Issyk-Kul Eco Guardians (demo)",
        "Ысык-Көл экокүзөт",
        "",
        "initiative",
        2021,
        ["climate-environment"],
        [6, 14, 15],
    ),
    (
        "KG",
        "Osh Women's Business Network (demo)",
        "Ош аялдар бизнес тармагы",
        "OWBN",
        "union",
        2013,
        ["women-gender"],
        [5, 8],
    ),
    (
        "KG",
        "Naryn Rural Schools Association (demo)",
        "Нарын айыл мектептери",
        "NRSA",
        "association",
        2010,
        ["education-research", "youth"],
        [4],
    ),
    (
        "KG",
        "Kyrgyz Legal Aid Collective (demo)",
        "Юридическая помощь",
        "KLAC",
        "non_commercial",
        2006,
        ["human-rights"],
        [16],
    ),
    (
        "KG",
        "Green Energy Karakol (demo)",
        "Жашыл энергия",
        "GEK",
        "cooperative",
        2022,
        ["energy", "climate-environment"],
        [7, 13],
    ),
    (
        "KG",
        "Youth of Batken for Peace (demo)",
        "Баткен жаштары тынчтык үчүн",
        "",
        "initiative",
        2019,
        ["youth", "human-rights"],
        [16],
    ),
    (
        "TJ",
        "Pamir Water Users (demo)",
        "Истифодабарандагони оби Помир",
        "PWU",
        "association",
        2012,
        ["climate-environment", "social-inclusion"],
        [6, 13],
    ),
    (
        "TJ",
        "Dushanbe Digital Literacy Centre (demo)",
        "Маркази саводнокии рақамӣ",
        "DDLC",
        "institution",
        2018,
        ["digital-transformation", "education-research"],
        [4, 9],
    ),
    (
        "TJ",
        "Khujand Women's Initiative (demo)",
        "Ташаббуси занони Хуҷанд",
        "KWI",
        "initiative",
        2014,
        ["women-gender"],
        [5],
    ),
    (
        "TJ",
        "Solar Villages Tajikistan (demo)",
        "Деҳаҳои офтобӣ",
        "SVT",
        "non_commercial",
        2020,
        ["energy"],
        [7],
    ),
    (
        "TJ",
        "Tajik Youth Health Network (demo)",
        "Шабакаи саломатии ҷавонон",
        "TYHN",
        "union",
        2011,
        ["health", "youth"],
        [3],
    ),
    (
        "TJ",
        "Rasht Valley Heritage (demo)",
        "Мероси водии Рашт",
        "",
        "association",
        2016,
        ["culture-heritage"],
        [11],
    ),
    (
        "TJ",
        "Transparency Watch Tajikistan (demo)",
        "Назорати шаффофият",
        "TWT",
        "association",
        2009,
        ["governance", "human-rights"],
        [16],
    ),
    (
        "TJ",
        "Bokhtar Farmers' Cooperative (demo)",
        "Кооперативи деҳқонони Бохтар",
        "BFC",
        "cooperative",
        2005,
        ["climate-environment"],
        [2, 15],
    ),
    (
        "TM",
        "Ashgabat Disability Support (demo)",
        "Aşgabat maýyplara goldaw",
        "ADS",
        "association",
        2013,
        ["social-inclusion", "health"],
        [3, 10],
    ),
    (
        "TM",
        "Karakum Desert Ecology Circle (demo)",
        "Garagum ekologiýa",
        "KDEC",
        "association",
        2017,
        ["climate-environment"],
        [13, 15],
    ),
    (
        "TM",
        "Mary Young Teachers (demo)",
        "Mary ýaş mugallymlar",
        "MYT",
        "initiative",
        2021,
        ["education-research", "youth"],
        [4],
    ),
    (
        "TM",
        "Turkmen Women Artisans (demo)",
        "Türkmen zenan hünärmentler",
        "TWA",
        "cooperative",
        2010,
        ["women-gender", "culture-heritage"],
        [5, 8],
    ),
    (
        "TM",
        "Dashoguz Water Savers (demo)",
        "Daşoguz suw tygşytlaýjylar",
        "",
        "initiative",
        2019,
        ["climate-environment"],
        [6],
    ),
    (
        "TM",
        "Digital Skills Turkmenabat (demo)",
        "Sanly başarnyklar",
        "DST",
        "non_commercial",
        2022,
        ["digital-transformation"],
        [4, 9],
    ),
    (
        "UZ",
        "Aral Sea Revival Network (demo)",
        "Orol dengizini tiklash tarmogʻi",
        "ASRN",
        "union",
        2007,
        ["climate-environment", "health"],
        [6, 13, 15],
    ),
    (
        "UZ",
        "Tashkent Open Data Club (demo)",
        "Ochiq maʼlumotlar klubi",
        "TODC",
        "initiative",
        2019,
        ["digital-transformation", "governance"],
        [9, 16],
    ),
    (
        "UZ",
        "Samarkand Heritage Guides (demo)",
        "Samarqand meros gidlari",
        "SHG",
        "association",
        2012,
        ["culture-heritage", "youth"],
        [8, 11],
    ),
    (
        "UZ",
        "Bukhara Women Entrepreneurs (demo)",
        "Buxoro tadbirkor ayollari",
        "BWE",
        "union",
        2015,
        ["women-gender"],
        [5, 8],
    ),
    (
        "UZ",
        "Karakalpak Youth Initiative (demo)",
        "Qaraqalpaq jaslar baslaması",
        "",
        "initiative",
        2020,
        ["youth", "social-inclusion"],
        [4, 10],
    ),
    (
        "UZ",
        "Uzbek Rule of Law Forum (demo)",
        "Huquq ustuvorligi forumi",
        "URLF",
        "non_commercial",
        2010,
        ["human-rights", "governance"],
        [16],
    ),
    (
        "UZ",
        "Fergana Valley Clean Energy (demo)",
        "Fargʻona toza energiya",
        "FVCE",
        "cooperative",
        2021,
        ["energy", "climate-environment"],
        [7, 13],
    ),
    (
        "UZ",
        "Nukus Health Volunteers (demo)",
        "Nukus salomatlik ko'ngillilari",
        "NHV",
        "initiative",
        2018,
        ["health"],
        [3],
    ),
    (
        "KZ",
        "Shymkent Transport for All (demo)",
        "Транспорт для всех",
        "STA",
        "initiative",
        2022,
        ["transport", "social-inclusion"],
        [9, 11],
    ),
    (
        "UZ",
        "Silk Road Research Institute (demo)",
        "Ipak yoʻli tadqiqot instituti",
        "SRRI",
        "institution",
        2004,
        ["education-research", "transport"],
        [4, 9, 17],
    ),
]

# A few organizations are in other states, so that organizers have a review queue and the
# privacy rules have something to hide: index in ORGANIZATIONS → (status, visibility).
SPECIAL_STATES = {
    5: ("approved", "network"),
    13: ("approved", "hidden"),
    22: ("submitted", "public"),
    28: ("submitted", "public"),
    33: ("changes_requested", "public"),
    36: ("submitted", "public"),
}

SIZE_BANDS = ["1-5", "6-20", "21-50", "51+"]

# News posts: the facts of the press coverage of the fifth forum (January 2025). Each row:
# slug, days before the forum's first day it was published (negative: after), the event's
# slug or None, countries, themes, title, summary and body in English and Russian.
NEWS_POSTS = [
    {
        "slug": "almaty-hosts-the-fifth-forum",
        "published": datetime.datetime(2025, 1, 30, 18, 0, tzinfo=datetime.UTC),
        "event": FIFTH_FORUM["slug"],
        "countries": ["KZ"],
        "themes": ["digital-transformation", "climate-environment", "youth", "women-gender"],
        "title_en": "Almaty hosts the fifth EU–Central Asia Civil Society Forum",
        "title_ru": "Алматы принял пятый Форум гражданского общества ЕС – Центральная Азия",
        "summary_en": (
            "Three days in Almaty, 28–30 January 2025, on digital transformation, climate "
            "change and empowerment."
        ),
        "summary_ru": (
            "Три дня в Алматы, 28–30 января 2025 года: цифровая трансформация, изменение "
            "климата и расширение возможностей."
        ),
        "body_en": (
            "Almaty, the largest city and former capital of Kazakhstan, hosted the fifth "
            "EU–Central Asia Civil Society Forum on **28–30 January 2025**, focusing on digital "
            "transformation, climate change and empowerment.\n\n"
            "The forum is a key component of the EU Civil Society Facility project, funded by "
            "the European Union and implemented by the United Nations Office for Project "
            "Services (UNOPS). The four-year initiative aims to empower civil society "
            "organizations from Kazakhstan, the Kyrgyz Republic, Tajikistan, Turkmenistan and "
            "Uzbekistan by fostering collaboration and advancing their role in:\n\n"
            "- driving sustainable development;\n"
            "- promoting transparent governance;\n"
            "- taking an active part in regional decision-making.\n"
        ),
        "body_ru": (
            "Алматы, крупнейший город и бывшая столица Казахстана, принял пятый Форум "
            "гражданского общества ЕС – Центральная Азия **28–30 января 2025 года**; в центре "
            "внимания были цифровая трансформация, изменение климата и расширение "
            "возможностей.\n\n"
            "Форум — ключевая часть проекта «Механизм поддержки гражданского общества ЕС», "
            "который финансирует Европейский союз и реализует Управление ООН по обслуживанию "
            "проектов (ЮНОПС). Четырёхлетняя инициатива помогает организациям гражданского "
            "общества Казахстана, Кыргызской Республики, Таджикистана, Туркменистана и "
            "Узбекистана сотрудничать и играть большую роль:\n\n"
            "- в устойчивом развитии;\n"
            "- в прозрачном управлении;\n"
            "- в принятии решений на уровне региона.\n"
        ),
    },
    {
        "slug": "eu-ambassador-civil-society-and-regional-stability",
        "published": datetime.datetime(2025, 1, 28, 12, 0, tzinfo=datetime.UTC),
        "event": FIFTH_FORUM["slug"],
        "countries": ["KZ"],
        "themes": ["governance", "youth", "women-gender"],
        "title_en": "EU Ambassador: civil society fosters stability and inclusion",
        "title_ru": "Посол ЕС: гражданское общество укрепляет стабильность и инклюзию",
        "summary_en": (
            "Aleška Simkić, EU Ambassador to Kazakhstan, opened the forum with a call to "
            "empower youth and women."
        ),
        "summary_ru": (
            "Посол ЕС в Казахстане Алешка Симкич открыла форум призывом расширять возможности "
            "молодёжи и женщин."
        ),
        "body_en": (
            "EU Ambassador to Kazakhstan **Aleška Simkić** highlighted the importance of civil "
            "society in advancing democratic governance and sustainable development.\n\n"
            "> The EU is committed to strengthening its relationship with Central Asia and "
            "supporting the invaluable work of civil society in fostering regional stability, "
            "social inclusion, and sustainable development. Through collaboration, we can "
            "address the most pressing challenges of our time, from digital transformation to "
            "climate change, while empowering youth and women to play an active role in "
            "shaping their futures.\n\n"
            "Kazakhstan's Deputy Foreign Minister **Roman Vassilenko** called civil society "
            "an essential partner in the country's development agenda, and the forum a "
            "platform for constructive dialogue between CSOs and governments.\n"
        ),
        "body_ru": (
            "Посол ЕС в Казахстане **Алешка Симкич** подчеркнула значение гражданского "
            "общества для демократического управления и устойчивого развития.\n\n"
            "> ЕС стремится укреплять отношения с Центральной Азией и поддерживать бесценную "
            "работу гражданского общества ради стабильности в регионе, социальной инклюзии и "
            "устойчивого развития. Вместе мы можем ответить на самые острые вызовы нашего "
            "времени — от цифровой трансформации до изменения климата, — давая молодёжи и "
            "женщинам активно участвовать в определении своего будущего.\n\n"
            "Заместитель министра иностранных дел Казахстана **Роман Василенко** назвал "
            "гражданское общество важнейшим партнёром в повестке развития страны, а форум — "
            "площадкой для конструктивного диалога ОГО и правительств.\n"
        ),
    },
    {
        "slug": "7000-organizations-better-communication",
        "published": datetime.datetime(2025, 1, 29, 12, 0, tzinfo=datetime.UTC),
        "event": FIFTH_FORUM["slug"],
        "countries": ["KZ", "KG", "TJ", "TM", "UZ"],
        "themes": ["governance", "social-inclusion"],
        "title_en": "Over 7,000 civil society organizations, reached through better channels",
        "title_ru": "Более 7000 организаций гражданского общества на связи",
        "summary_en": (
            "Stephen O'Malley, UN Resident Coordinator in Kazakhstan, on the partnership of the "
            "UN and the EU."
        ),
        "summary_ru": ("Стивен О'Мэлли, координатор ООН в Казахстане, о партнёрстве ООН и ЕС."),
        "body_en": (
            "UN Resident Coordinator to Kazakhstan **Stephen O'Malley** highlighted the "
            "collaboration of the UN and the EU on projects that advance the Sustainable "
            "Development Goals in Central Asia.\n\n"
            "> With improved communication channels, we engage with over 7,000 civil society "
            "organizations. These partnerships highlight the effectiveness of collective "
            "action, providing opportunities for communities to actively participate in "
            "decision-making processes.\n\n"
            "This portal and its newsletter are part of those channels: "
            "[register your organization](/organizations/register/) to receive it.\n"
        ),
        "body_ru": (
            "Координатор ООН в Казахстане **Стивен О'Мэлли** рассказал о совместной работе ООН "
            "и ЕС над проектами, приближающими Цели устойчивого развития в Центральной Азии.\n\n"
            "> Благодаря улучшенным каналам связи мы взаимодействуем более чем с 7000 "
            "организаций гражданского общества. Эти партнёрства показывают силу коллективных "
            "действий и дают сообществам возможность участвовать в принятии решений.\n\n"
            "Этот портал и его рассылка — часть этих каналов: "
            "[зарегистрируйте свою организацию](/organizations/register/), чтобы получать её.\n"
        ),
    },
    {
        "slug": "global-gateway-in-central-asia",
        "published": datetime.datetime(2025, 1, 27, 9, 0, tzinfo=datetime.UTC),
        "event": None,
        "countries": ["KZ", "KG", "TJ", "TM", "UZ"],
        "themes": ["digital-transformation", "energy", "transport", "health", "education-research"],
        "title_en": "Global Gateway: what the EU seeks in Central Asia",
        "title_ru": "Global Gateway: чего ЕС добивается в Центральной Азии",
        "summary_en": (
            "The EU's Delegation to Kazakhstan on the EU Strategy on Central Asia, before the "
            "forum."
        ),
        "summary_ru": (
            "Представительство ЕС в Казахстане о Стратегии ЕС по Центральной Азии накануне форума."
        ),
        "body_en": (
            "The EU's commitment to Central Asia is based on the EU Strategy on Central Asia "
            "and implemented through the Global Gateway priorities, the European strategy to "
            "boost smart, clean and secure links in the digital, energy and transport sectors "
            "and to strengthen health, education and research systems.\n\n"
            "In Central Asia, the EU seeks with its partners transformational impact in the "
            "digital, climate and energy, transport, health, and education and research "
            "sectors, with smart investments in quality infrastructure that respect the "
            "highest social and environmental standards.\n"
        ),
        "body_ru": (
            "Приверженность ЕС Центральной Азии основана на Стратегии ЕС по Центральной Азии и "
            "реализуется через приоритеты Global Gateway — европейской стратегии развития "
            "умных, чистых и надёжных связей в цифровой сфере, энергетике и транспорте и "
            "укрепления систем здравоохранения, образования и науки.\n\n"
            "В Центральной Азии ЕС вместе с партнёрами добивается преобразований в цифровой "
            "сфере, климате и энергетике, транспорте, здравоохранении, образовании и науке — "
            "через разумные инвестиции в качественную инфраструктуру по самым высоким "
            "социальным и экологическим стандартам.\n"
        ),
    },
]

DEMO_NEWSLETTER = {
    "subject_en": "Registration for the sixth forum is open",
    "subject_ru": "Открыта регистрация на шестой форум",
    "body_en": (
        "Dear colleagues,\n\n"
        "registration of delegates for the **sixth EU–Central Asia Civil Society Forum** is "
        "open. Members of approved organizations register their delegates on the forum's page "
        "or under *My organization › Delegates*.\n\n"
        "- Seats are shared by country quotas;\n"
        "- the waiting list moves up as soon as a seat frees.\n"
    ),
    "body_ru": (
        "Уважаемые коллеги,\n\n"
        "открыта регистрация делегатов на **шестой Форум гражданского общества ЕС – Центральная "
        "Азия**. Участники одобренных организаций регистрируют делегатов на странице форума или "
        "в разделе *Моя организация › Делегаты*.\n\n"
        "- Места распределяются по квотам стран;\n"
        "- очередь ожидания продвигается, как только освобождается место.\n"
    ),
    "people": "members",
    "organization_statuses": ["approved"],
}
