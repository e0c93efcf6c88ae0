"""Generate the synthetic NPS survey ``nps_xl/data/sample_survey.csv``.

Run it from the repository root::

    python scripts/make_sample_survey.py              # writes nps_xl/data/sample_survey.csv
    python scripts/make_sample_survey.py other.csv    # writes somewhere else

The output is deterministic: one ``numpy.random.default_rng(SEED)`` stream, drawn only through
``Generator.random()`` (plain uniform doubles; numpy may change the streams of other Generator
methods between versions, the PCG64 doubles have stayed put), consumed in a fixed order. Running
the script twice gives a byte-identical file, and ``tests/test_sample_survey.py`` fails if the
committed CSV is stale. Change the model below, rerun the script, commit both.

The file is UTF-8 (no byte-order mark), comma separated, ``\\n`` line ends, one header row, fields
quoted only where needed. Columns: ``Response ID, Customer ID, Date, Score, Comment, Region,
Product, Channel, Customer tenure``.

Generating model
----------------
*Volume.* 2,000 answers dated 2025-05-01 .. 2026-10-31 (18 months, 549 days). The daily rate rises
linearly by 40 % over the period, and the three bad months below get 25 % more answers
(unhappy customers answer more). Response IDs ``R00001..`` follow the date order.

*Customers.* Each answer belongs to a customer with a fixed region, tenure band and product. With
probability 8.5 % an answer comes from a customer who already answered at least 30 days earlier
(about 8 % repeated answers); otherwise a new customer ``Cnnnnn`` (random, unique) is drawn.
Later features keep the latest answer per customer.

*Segments* (share of customers; effect on the latent score ``eta``, in logits):

- Region: North America 32 % (0), Europe 30 % (-0.10), Asia Pacific 24 % (0),
  Baltics 14 % (+0.55, the clearly better region).
- Product: Essentials 45 % (0), Professional 33 % (+0.20), Smart Hub 22 % (-0.60, the clearly
  worse product: a hardware device with quality and delivery complaints).
- Channel (drawn per answer): Web 38 % (0), Mobile app 27 % (+0.10), Phone support 20 % (-0.45,
  the clearly worse channel), Store/Partner 15 % (-0.10).
- Customer tenure: ``<1 year`` 30 % (-0.20), ``1-3 years`` 42 % (0), ``>3 years`` 28 % (+0.25).

*Trend.* ``eta`` rises linearly from -0.30 on 2025-05-01 to +0.30 on 2026-10-31.

*Bad months.* ``eta`` drops by 0.9 in 2025-08 (service outage), 2026-01 (price rise) and 2026-06
(delivery disruption after a warehouse move). Detractors in those months comment on that month's
theme (reliability, price, delivery) three times out of four, passives half of the time.

*Scores.* An ordered logit turns ``eta = 0.30 + segment effects + trend + bad month`` into a class:
P(detractor) = logistic(-1.55 - eta), P(detractor or passive) = logistic(0 - eta). Within a class
the score is drawn from fixed shapes: promoters 9/10 = 45/55 %, passives 7/8 = 40/60 %,
detractors 0..6 in proportion 5:2:3:5:7:12:16 (most detractors give 5 or 6). Overall about 50 %
promoters and 18 % detractors, NPS about +30, with 8-10 about 70 % of answers.

*Comments.* Detractors comment with probability 0.80, passives 0.55, promoters 0.58 (about 60 %
overall). The language depends on the region: Asia Pacific 19 % Simplified Chinese and 21 %
Traditional Chinese, Baltics 40 % Lithuanian, Europe 17 % Bulgarian, the rest English (about 20 %
of comments non-English, 50-70 per language). A comment is built from per-language sentence
banks, one per theme (price, support, quality, delivery, usability, reliability) and sentiment
(positive, negative), plus general and lukewarm sentences. Promoters get a positive sentence
(25 % a second theme); detractors a negative one (30 % a second negative theme, else 21 % a
general complaint); passives a positive and a negative sentence (75 %) or a lukewarm one. Theme
weights depend on the segment (Smart Hub: quality and delivery; Phone support: support; Mobile
app: usability) and on the bad month; English detractors in a bad month also get sentences about
that month's event.

*Mess.* After generation: about 1.5 % of scores blanked (their comment kept), 6 answers of 10
written as ``10 - Extremely likely`` and 4 answers of 0 as ``0 - Not at all likely``, 2 scores
written as ``N/A``. A few English comments are replaced by formula-injection bait (starting with
``=``, ``+``, ``-`` or ``@``), one by a comment with a line break and one by a comment with a
double quote and commas. Every other score is a plain integer 0-10.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20250501
N_ANSWERS = 2000
START = date(2025, 5, 1)
END = date(2026, 10, 31)
OUTPUT = Path(__file__).resolve().parent.parent / "nps_xl" / "data" / "sample_survey.csv"

COLUMNS = [
    "Response ID",
    "Customer ID",
    "Date",
    "Score",
    "Comment",
    "Region",
    "Product",
    "Channel",
    "Customer tenure",
]

# (name, share, effect on eta in logits)
REGIONS = [
    ("North America", 0.32, 0.0),
    ("Europe", 0.30, -0.10),
    ("Asia Pacific", 0.24, 0.0),
    ("Baltics", 0.14, 0.55),
]
PRODUCTS = [("Essentials", 0.45, 0.0), ("Professional", 0.33, 0.20), ("Smart Hub", 0.22, -0.60)]
CHANNELS = [
    ("Web", 0.38, 0.0),
    ("Mobile app", 0.27, 0.10),
    ("Phone support", 0.20, -0.45),
    ("Store/Partner", 0.15, -0.10),
]
TENURES = [("<1 year", 0.30, -0.20), ("1-3 years", 0.42, 0.0), (">3 years", 0.28, 0.25)]

INTERCEPT = 0.30
TREND = (-0.30, 0.30)  # eta at START and at END, linear in between
CUT_DETRACTOR = -1.55  # logit of P(detractor) at eta = 0
CUT_PASSIVE = 0.0  # logit of P(not a promoter) at eta = 0
BAD_MONTHS = {"2025-08": "reliability", "2026-01": "price", "2026-06": "delivery"}
BAD_MONTH_EFFECT = -0.90
BAD_MONTH_VOLUME = 1.25
VOLUME_GROWTH = 0.40
REPEAT_PROBABILITY = 0.085
REPEAT_MIN_GAP_DAYS = 30

PROMOTER_SCORES = ([9, 10], [45, 55])
PASSIVE_SCORES = ([7, 8], [40, 60])
DETRACTOR_SCORES = ([0, 1, 2, 3, 4, 5, 6], [5, 2, 3, 5, 7, 12, 16])
COMMENT_PROBABILITY = {"promoter": 0.58, "passive": 0.55, "detractor": 0.80}
# region -> [(language, share of that region's comments)]; the rest is English
LANGUAGE_MIX = {
    "Asia Pacific": [("zh-Hans", 0.19), ("zh-Hant", 0.21)],
    "Baltics": [("lt", 0.40)],
    "Europe": [("bg", 0.17)],
}

THEMES = ["price", "support", "quality", "delivery", "usability", "reliability"]
POSITIVE_THEME_WEIGHTS = {
    "price": 0.8,
    "support": 1.0,
    "quality": 1.2,
    "delivery": 0.6,
    "usability": 1.0,
    "reliability": 0.6,
}
NEGATIVE_THEME_WEIGHTS = {
    "price": 1.0,
    "support": 1.0,
    "quality": 1.0,
    "delivery": 0.6,
    "usability": 0.8,
    "reliability": 0.5,
}
# segment value -> {theme: multiplier} for negative comments
NEGATIVE_THEME_BOOST = {
    "Smart Hub": {"quality": 2.0, "delivery": 2.0},
    "Phone support": {"support": 2.5},
    "Mobile app": {"usability": 2.0},
}
BAD_MONTH_THEME_PROBABILITY = 0.75

# Sentence banks: language -> kind -> theme -> sentences. Kinds: "pos", "neg"; the "general"
# theme holds sentences without a theme, "meh" the lukewarm ones.
BANKS: dict[str, dict[str, dict[str, list[str]]]] = {
    "en": {
        "pos": {
            "price": [
                "Good value for the money.",
                "Fair price for what you get.",
                "Pricing is clear and reasonable.",
                "Cheaper than the competitors and just as good.",
                "Worth every cent.",
            ],
            "support": [
                "Support team was quick and friendly.",
                "Customer service solved my issue on the first call.",
                "Great support, they really listen.",
                "The agent on chat was very helpful.",
            ],
            "quality": [
                "Excellent build quality.",
                "The product is solid and does exactly what it promises.",
                "High quality, no issues in months of use.",
                "Quality is better than I expected.",
            ],
            "delivery": [
                "Fast delivery, arrived the next day.",
                "Shipping was quick and the packaging was good.",
                "Delivered on time, no hassle.",
                "Order arrived earlier than expected.",
            ],
            "usability": [
                "Very easy to use.",
                "Setup took five minutes, the app is intuitive.",
                "Clean interface, everything is where I expect it.",
                "Simple enough that my parents use it too.",
            ],
            "reliability": [
                "Works reliably every day.",
                "No downtime at all this year.",
                "Stable service, never lets me down.",
            ],
            "general": [
                "Great company, keep it up!",
                "Love it!",
                "Would recommend to anyone.",
                "Very happy with everything.",
            ],
        },
        "neg": {
            "price": [
                "Too expensive for what it does.",
                "The price increase is hard to justify.",
                "Prices went up again without any new features.",
                "The subscription is overpriced compared to others.",
                "Hidden fees on the invoice.",
            ],
            "support": [
                "Support takes days to answer.",
                "Waited 40 minutes on the phone and nobody could help.",
                "Customer service keeps sending copy-paste replies.",
                "I had to explain my problem to support three times.",
            ],
            "quality": [
                "Quality has gone down, mine broke after two months.",
                "Feels cheap and the buttons stopped working.",
                "Poor quality, I had to return it.",
                "Lots of bugs in the latest version.",
            ],
            "delivery": [
                "Delivery was two weeks late.",
                "The parcel got lost and nobody told me.",
                "Shipping is slow and the tracking never updates.",
                "Arrived damaged, still waiting for a replacement.",
            ],
            "usability": [
                "The app is confusing and hard to navigate.",
                "Too many steps to do something simple.",
                "Settings are hidden, the menu makes no sense.",
                "The new interface is hard to use.",
            ],
            "reliability": [
                "The outage lasted almost a whole day.",
                "Service was down again and we lost work.",
                "Constant outages and errors this month.",
                "Could not log in for hours during the outage.",
            ],
            "general": [
                "Not happy at all.",
                "Thinking about switching to a competitor.",
                "Disappointed.",
                "Would not recommend.",
            ],
        },
        "meh": {
            "general": [
                "It's OK.",
                "Does the job.",
                "Fine, nothing special.",
                "Decent, but there is room for improvement.",
            ]
        },
    },
    "zh-Hans": {
        "pos": {
            "price": ["性价比很高。", "价格合理,物有所值。", "比其他品牌便宜,质量也不差。"],
            "support": [
                "客服态度很好,回复也很快。",
                "客服一次就解决了我的问题。",
                "售后服务非常专业。",
            ],
            "quality": [
                "产品质量很好,用了几个月都没问题。",
                "做工扎实,品质可靠。",
                "质量超出预期。",
            ],
            "delivery": [
                "物流很快,第二天就收到货了。",
                "发货及时,包装也很好。",
                "配送准时,没有任何麻烦。",
            ],
            "usability": [
                "操作简单,很容易上手。",
                "界面清晰,用起来很方便。",
                "安装只用了五分钟,很简单。",
            ],
            "reliability": [
                "服务很稳定,从来没有宕机。",
                "每天都能正常使用,非常可靠,没出过问题。",
                "系统运行稳定。",
            ],
            "general": ["非常满意,会推荐给朋友。", "很好,值得推荐!", "整体体验很棒,谢谢。"],
        },
        "neg": {
            "price": [
                "价格太贵了。",
                "又涨价了,完全没有新功能。",
                "订阅费用太高,性价比很低。",
                "账单里有隐藏费用。",
            ],
            "support": [
                "客服回复太慢了,等了好几天。",
                "打电话等了四十分钟也没人解决问题。",
                "客服只会发模板回复。",
            ],
            "quality": [
                "质量太差,两个月就坏了。",
                "产品质量下降了很多。",
                "新版本问题很多,经常出错。",
            ],
            "delivery": [
                "物流太慢,晚了两个星期。",
                "包裹丢了也没人通知我。",
                "收到的时候已经损坏了。",
            ],
            "usability": ["应用太复杂,很难找到设置。", "新界面很难用。", "操作步骤太多了,很麻烦。"],
            "reliability": [
                "服务中断了将近一天。",
                "又宕机了,影响了我们的工作。",
                "这个月经常登录不了。",
            ],
            "general": ["非常失望,不会再买了。", "不会推荐给别人。", "考虑换别的品牌了。"],
        },
        "meh": {"general": ["还可以。", "一般般,没什么特别的。", "还行,但还有改进空间。"]},
    },
    "zh-Hant": {
        "pos": {
            "price": [
                "價格合理,物超所值。",
                "CP值很高,買得很值得。",
                "比其他品牌便宜,品質也不錯。",
            ],
            "support": [
                "客服態度很好,回覆也很快。",
                "客服人員一次就解決了我的問題。",
                "售後服務非常專業。",
            ],
            "quality": [
                "產品品質很好,用了幾個月都沒問題。",
                "做工紮實,品質可靠。",
                "品質超出預期。",
            ],
            "delivery": ["出貨很快,隔天就收到了。", "配送準時,包裝也很完整。", "物流速度很快,讚。"],
            "usability": [
                "操作簡單,很容易上手。",
                "介面清楚,用起來很方便。",
                "安裝只花了五分鐘,很簡單。",
            ],
            "reliability": [
                "服務很穩定,從來沒有斷線。",
                "每天都能正常使用,非常可靠,沒出過問題。",
                "系統運作穩定。",
            ],
            "general": ["非常滿意,會推薦給朋友。", "很棒,值得推薦!", "整體體驗很好,謝謝。"],
        },
        "neg": {
            "price": [
                "價格太貴了。",
                "又漲價了,卻沒有新功能。",
                "訂閱費用太高,不划算。",
                "帳單裡有隱藏費用。",
            ],
            "support": [
                "客服回覆太慢,等了好幾天。",
                "電話等了四十分鐘還是沒人處理。",
                "客服只會給制式回覆。",
            ],
            "quality": [
                "品質太差,兩個月就壞了。",
                "產品品質下降很多。",
                "新版本問題很多,常常出錯。",
            ],
            "delivery": [
                "配送太慢,晚了兩個星期。",
                "包裹遺失了也沒有人通知我。",
                "收到時外盒已經損壞。",
            ],
            "usability": [
                "應用程式太複雜,很難找到設定。",
                "新介面很難用。",
                "操作步驟太多了,很麻煩。",
            ],
            "reliability": [
                "服務中斷了將近一整天。",
                "又當機了,影響我們的工作。",
                "這個月常常無法登入。",
            ],
            "general": ["非常失望,不會再買了。", "不會推薦給別人。", "考慮換其他品牌了。"],
        },
        "meh": {"general": ["還可以。", "普通,沒什麼特別。", "還不錯,但還有改進空間。"]},
    },
    "lt": {
        "pos": {
            "price": [
                "Gera kaina už tokią kokybę.",
                "Kaina sąžininga, verta savo pinigų.",
                "Pigiau nei pas konkurentus, o kokybė ta pati.",
            ],
            "support": [
                "Klientų aptarnavimas greitas ir malonus.",
                "Aptarnavimo komanda išsprendė problemą iš pirmo skambučio.",
                "Puikus aptarnavimas, tikrai išklauso.",
            ],
            "quality": [
                "Puiki produkto kokybė.",
                "Kokybė aukšta, per kelis mėnesius jokių problemų.",
                "Produktas patikimas ir daro tai, ką žada.",
            ],
            "delivery": [
                "Greitas pristatymas, gavau kitą dieną.",
                "Siunta atkeliavo greičiau nei tikėjausi.",
                "Pristatymas laiku, jokių rūpesčių.",
            ],
            "usability": [
                "Labai patogu ir paprasta naudotis, viskas aišku.",
                "Įdiegiau per penkias minutes, programėlė intuityvi.",
                "Aiški sąsaja, viskas savo vietose.",
            ],
            "reliability": [
                "Paslauga veikia stabiliai kiekvieną dieną.",
                "Šiais metais nebuvo jokių sutrikimų.",
                "Sistema patikima, niekada nenuvylė.",
            ],
            "general": [
                "Esu labai patenkintas, rekomenduosiu ir draugams – ačiū!",
                "Puiku, ačiū!",
                "Viskas puiku, taip ir toliau – ačiū!",
            ],
        },
        "neg": {
            "price": [
                "Per brangu už tai, ką gauni.",
                "Kainos vėl pakilo be jokių naujų funkcijų.",
                "Prenumerata per brangi, palyginti su kitomis įmonėmis.",
                "Sąskaitoje atsirado paslėptų mokesčių.",
            ],
            "support": [
                "Klientų aptarnavimas atsako tik po kelių dienų.",
                "Telefonu laukiau 40 minučių ir niekas nepadėjo.",
                "Aptarnavimas siunčia tik šabloninius atsakymus.",
            ],
            "quality": [
                "Kokybė suprastėjo, sugedo po dviejų mėnesių.",
                "Prasta kokybė, teko grąžinti.",
                "Naujoje versijoje daug klaidų ir trikdžių.",
            ],
            "delivery": [
                "Pristatymas vėlavo dvi savaites.",
                "Siuntinys dingo ir niekas man nepranešė.",
                "Prekė atkeliavo sugadinta.",
            ],
            "usability": [
                "Programėlė paini, sunku ką nors rasti.",
                "Per daug žingsnių paprastam veiksmui.",
                "Naujoji sąsaja nepatogi.",
            ],
            "reliability": [
                "Sutrikimas truko beveik visą dieną.",
                "Paslauga vėl neveikė, praradome darbą.",
                "Šį mėnesį nuolat nepavyksta prisijungti.",
            ],
            "general": [
                "Labai nusivyliau šia paslauga.",
                "Nerekomenduočiau niekam.",
                "Rimtai svarstau keisti tiekėją.",
            ],
        },
        "meh": {
            "general": [
                "Neblogai, bet dar yra ką tobulinti.",
                "Vidutiniškai, atlieka savo darbą.",
                "Viskas gerai, nors galėtų būti geriau.",
            ]
        },
    },
    "bg": {
        "pos": {
            "price": [
                "Добро съотношение цена-качество.",
                "Цената е разумна за това, което получавам.",
                "По-евтино от конкурентите и също толкова добро.",
            ],
            "support": [
                "Обслужването на клиенти е бързо и любезно.",
                "Поддръжката реши проблема ми още при първото обаждане.",
                "Отлично обслужване, наистина ги е грижа.",
            ],
            "quality": [
                "Отлично качество на продукта.",
                "Високо качество, месеци наред без проблеми.",
                "Продуктът е надежден и прави точно това, което обещава.",
            ],
            "delivery": [
                "Бърза доставка, пристигна на следващия ден.",
                "Доставката беше навреме, без никакви проблеми.",
                "Пратката дойде по-рано от очакваното.",
            ],
            "usability": [
                "Много лесен за използване.",
                "Инсталирах го за пет минути, приложението е интуитивно.",
                "Ясен интерфейс, всичко е на мястото си.",
            ],
            "reliability": [
                "Услугата работи стабилно всеки ден.",
                "Тази година нямаше нито един срив.",
                "Надеждна система, никога не ме е подвела.",
            ],
            "general": [
                "Много съм доволен, ще препоръчам на приятели.",
                "Страхотно, благодаря!",
                "Всичко е отлично, продължавайте така!",
            ],
        },
        "neg": {
            "price": [
                "Твърде скъпо за това, което предлага.",
                "Цените пак се вдигнаха без нищо ново.",
                "Абонаментът е прекалено скъп.",
                "Има скрити такси във фактурата.",
            ],
            "support": [
                "Поддръжката отговаря след няколко дни.",
                "Чаках 40 минути на телефона и никой не помогна.",
                "Обслужването на клиенти праща само шаблонни отговори.",
            ],
            "quality": [
                "Качеството се влоши, счупи се след два месеца.",
                "Лошо качество, наложи се да го върна.",
                "Новата версия е пълна с грешки.",
            ],
            "delivery": [
                "Доставката закъсня с две седмици.",
                "Пратката се изгуби и никой не ме уведоми.",
                "Продуктът пристигна повреден.",
            ],
            "usability": [
                "Приложението е объркващо и трудно за навигация.",
                "Твърде много стъпки за нещо просто.",
                "Новият интерфейс е неудобен.",
            ],
            "reliability": [
                "Прекъсването продължи почти цял ден.",
                "Услугата пак не работеше и загубихме работа.",
                "Този месец постоянно не мога да вляза.",
            ],
            "general": [
                "Много съм разочарован.",
                "Не бих препоръчал на никого.",
                "Мисля да мина към конкурент.",
            ],
        },
        "meh": {
            "general": [
                "Става, нищо повече.",
                "Добре е, но нищо особено.",
                "Има какво още да се подобри.",
            ]
        },
    },
}

# English sentences that only appear in a bad month, about that month's event.
EVENT_SENTENCES = {
    "reliability": [
        "The outage cost us a full day of sales.",
        "Down for hours and no status update from you.",
        "After this outage I no longer trust the service.",
    ],
    "price": [
        "The January price rise is ridiculous.",
        "20% more for the same product? No thanks.",
        "The new prices made me look at competitors.",
    ],
    "delivery": [
        "My order was stuck in the new warehouse for three weeks.",
        "Delivery delays again, nobody knows where my parcel is.",
        "Ordered a Smart Hub a month ago, still not delivered.",
    ],
}

# Comments that replace generated English comments: (class of the answer, text).
SPECIAL_COMMENTS = [
    ("detractor", "-- not great, the app keeps logging me out"),
    ("detractor", "@support was slow, three days for a simple question"),
    ("detractor", "- delivery late again"),
    ("promoter", "=) love it"),
    ("promoter", "+1 for the new dashboard, very easy to use"),
    (
        "passive",
        "Setup was easy.\nBut the first invoice was wrong and support took a week to fix it.",
    ),
    ("detractor", 'The "premium" support plan, honestly, is no better than the free one.'),
]
N_BLANK = 30
N_LABELLED_10 = 6
N_LABELLED_0 = 4
N_NOT_APPLICABLE = 2


class Draw:
    """Weighted choices and coin flips from one Generator, only through ``random()``."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def uniform(self) -> float:
        return float(self.rng.random())

    def chance(self, p: float) -> bool:
        return self.uniform() < p

    def index(self, weights: list[float]) -> int:
        cumulative = np.cumsum(weights, dtype=float)
        position = int(np.searchsorted(cumulative, self.uniform() * cumulative[-1], side="right"))
        return min(position, len(weights) - 1)

    def pick(self, items: list, weights: list[float] | None = None):
        return items[self.index(weights if weights is not None else [1.0] * len(items))]

    def sample(self, items: list, k: int) -> list:
        """k distinct items, in a random order."""
        keys = [self.uniform() for _ in items]
        order = sorted(range(len(items)), key=lambda i: keys[i])
        return [items[i] for i in order[:k]]


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def draw_dates(draw: Draw) -> list[date]:
    days = (END - START).days + 1
    weights = []
    for offset in range(days):
        day = START + timedelta(days=offset)
        weight = 1.0 + VOLUME_GROWTH * offset / (days - 1)
        if month_of(day) in BAD_MONTHS:
            weight *= BAD_MONTH_VOLUME
        weights.append(weight)
    offsets = sorted(draw.index(weights) for _ in range(N_ANSWERS))
    return [START + timedelta(days=offset) for offset in offsets]


def segment(draw: Draw, table: list[tuple[str, float, float]]) -> str:
    return draw.pick([name for name, _, _ in table], [share for _, share, _ in table])


def effect(table: list[tuple[str, float, float]], name: str) -> float:
    return next(value for key, _, value in table if key == name)


def theme_weights(kind: str, product: str, channel: str) -> list[float]:
    base = POSITIVE_THEME_WEIGHTS if kind == "pos" else NEGATIVE_THEME_WEIGHTS
    weights = dict(base)
    if kind == "neg":
        for key in (product, channel):
            for theme, factor in NEGATIVE_THEME_BOOST.get(key, {}).items():
                weights[theme] *= factor
    return [weights[theme] for theme in THEMES]


def make_comment(
    draw: Draw, klass: str, language: str, product: str, channel: str, bad_theme: str | None
) -> str:
    bank = BANKS[language]
    sep = "" if language.startswith("zh") else " "

    def sentence(kind: str, theme: str | None = None, avoid: str | None = None) -> str:
        if theme is None:
            weights = theme_weights(kind, product, channel)
            if avoid is not None:
                weights[THEMES.index(avoid)] = 0.0
            theme = THEMES[draw.index(weights)]
        return draw.pick(bank[kind][theme])

    if klass == "promoter":
        first_theme = THEMES[draw.index(theme_weights("pos", product, channel))]
        parts = [draw.pick(bank["pos"][first_theme])]
        if draw.chance(0.25):
            parts.append(sentence("pos", avoid=first_theme))
        elif draw.chance(0.15):
            parts.append(draw.pick(bank["pos"]["general"]))
        return sep.join(parts)
    if klass == "detractor":
        if bad_theme is not None and draw.chance(BAD_MONTH_THEME_PROBABILITY):
            first_theme = bad_theme
            pool = bank["neg"][bad_theme]
            if language == "en":
                pool = pool + EVENT_SENTENCES[bad_theme]
            parts = [draw.pick(pool)]
        else:
            first_theme = THEMES[draw.index(theme_weights("neg", product, channel))]
            parts = [draw.pick(bank["neg"][first_theme])]
        if draw.chance(0.30):
            parts.append(sentence("neg", avoid=first_theme))
        elif draw.chance(0.30):
            parts.append(draw.pick(bank["neg"]["general"]))
        return sep.join(parts)
    # passive: lukewarm, or one good and one bad point
    if draw.chance(0.25):
        return draw.pick(bank["meh"]["general"])
    good_theme = THEMES[draw.index(theme_weights("pos", product, channel))]
    if bad_theme is not None and draw.chance(0.5):
        bad = draw.pick(bank["neg"][bad_theme])
    else:
        bad = sentence("neg", avoid=good_theme)
    return sep.join([draw.pick(bank["pos"][good_theme]), bad])


def comment_language(draw: Draw, region: str) -> str:
    roll = draw.uniform()
    for language, share in LANGUAGE_MIX.get(region, []):
        if roll < share:
            return language
        roll -= share
    return "en"


def score_class(draw: Draw, eta: float) -> str:
    p_detractor = logistic(CUT_DETRACTOR - eta)
    p_not_promoter = logistic(CUT_PASSIVE - eta)
    roll = draw.uniform()
    if roll < p_detractor:
        return "detractor"
    if roll < p_not_promoter:
        return "passive"
    return "promoter"


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    """The survey as a list of rows (column name -> text), in Response ID order."""
    draw = Draw(seed)
    dates = draw_dates(draw)
    span = (END - START).days
    id_pool = draw.sample(list(range(10000, 100000)), N_ANSWERS)
    customers: list[dict] = []
    rows: list[dict[str, str]] = []
    classes: list[str] = []
    languages: list[str] = []

    for number, day in enumerate(dates, start=1):
        earlier = [c for c in customers if (day - c["last"]).days >= REPEAT_MIN_GAP_DAYS]
        if earlier and draw.chance(REPEAT_PROBABILITY):
            customer = draw.pick(earlier)
        else:
            customer = {
                "id": f"C{id_pool[len(customers)]:05d}",
                "region": segment(draw, REGIONS),
                "product": segment(draw, PRODUCTS),
                "tenure": segment(draw, TENURES),
            }
            customers.append(customer)
        customer["last"] = day
        channel = segment(draw, CHANNELS)
        month = month_of(day)
        bad_theme = BAD_MONTHS.get(month)
        eta = (
            INTERCEPT
            + TREND[0]
            + (TREND[1] - TREND[0]) * (day - START).days / span
            + effect(REGIONS, customer["region"])
            + effect(PRODUCTS, customer["product"])
            + effect(CHANNELS, channel)
            + effect(TENURES, customer["tenure"])
            + (BAD_MONTH_EFFECT if bad_theme else 0.0)
        )
        klass = score_class(draw, eta)
        scores, weights = {
            "promoter": PROMOTER_SCORES,
            "passive": PASSIVE_SCORES,
            "detractor": DETRACTOR_SCORES,
        }[klass]
        score = draw.pick(scores, weights)
        comment = ""
        language = ""
        if draw.chance(COMMENT_PROBABILITY[klass]):
            language = comment_language(draw, customer["region"])
            comment = make_comment(draw, klass, language, customer["product"], channel, bad_theme)
        rows.append(
            {
                "Response ID": f"R{number:05d}",
                "Customer ID": customer["id"],
                "Date": day.isoformat(),
                "Score": str(score),
                "Comment": comment,
                "Region": customer["region"],
                "Product": customer["product"],
                "Channel": channel,
                "Customer tenure": customer["tenure"],
            }
        )
        classes.append(klass)
        languages.append(language)

    add_mess(draw, rows, classes, languages)
    return rows


def add_mess(draw: Draw, rows: list[dict[str, str]], classes: list[str], languages: list[str]):
    """Blank, labelled and N/A scores; formula-injection bait and CSV-quoting comments."""
    touched: set[int] = set()

    def choose(candidates: list[int], k: int) -> list[int]:
        chosen = draw.sample([i for i in candidates if i not in touched], k)
        touched.update(chosen)
        return sorted(chosen)

    everyone = list(range(len(rows)))
    for i in choose([i for i in everyone if rows[i]["Score"] == "10"], N_LABELLED_10):
        rows[i]["Score"] = "10 - Extremely likely"
    for i in choose([i for i in everyone if rows[i]["Score"] == "0"], N_LABELLED_0):
        rows[i]["Score"] = "0 - Not at all likely"
    for i in choose(everyone, N_NOT_APPLICABLE):
        rows[i]["Score"] = "N/A"
    for i in choose(everyone, N_BLANK):
        rows[i]["Score"] = ""
    for klass, text in SPECIAL_COMMENTS:
        english = [i for i in everyone if classes[i] == klass and languages[i] == "en"]
        (i,) = choose(english, 1)
        rows[i]["Comment"] = text


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write(path: Path = OUTPUT, seed: int = SEED) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_csv(build_rows(seed)))
    return path


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    target = write(Path(args[0]) if args else OUTPUT)
    print(f"wrote {N_ANSWERS} answers to {target}")


if __name__ == "__main__":
    main()
