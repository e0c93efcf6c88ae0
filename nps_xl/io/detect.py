"""Find which column of an export holds the score, the date, the comment, the ids, the weight
and the segments. Explicit choices win; everything else is decided from the headers (in 15
languages) and, above all, from the values.

* **score** — among the columns whose answers are mostly (≥ 80 %) whole numbers on the scale:
  first those whose header (or Qualtrics question text) names the recommend question or NPS
  (:data:`SCORE_HEADER`: "recommend", 推荐/推薦, "rekomenduot…", "препоръча…", "recomendar",
  "recommander", "weiterempfehlen", "consigliare", "aanbevelen", "polecić", "порекомендовать",
  勧める/紹介, 추천, "NPS", "Net Promoter"), then those headed "Score"/"Rating" and the like;
  without such a header, the only column whose answers are ≥ 95 % scores (or, among several,
  the only one that uses the upper half of the scale). When several remain, the message lists
  each with its number of answers and its NPS. Qualtrics' ``…_NPS_GROUP`` codes are never the
  score.
* **scale** — a score column that cannot plausibly be a 0–10 question (the one rule of
  :func:`nps_xl.scores.scale_doubt`: at least 10 answers all within 0–5 or all within 1–7, or a
  header naming another scale) stops detection unless ``scale`` is given, suggesting ``--scale``.
* **date** — among the columns headed as dates ("Date", "Submitted At", "Timestamp" and Google
  Forms' word for it in the owner's language, "RecordedDate", "Datum", "Fecha", "Дата",
  "日期"…) or holding dates (date cells, date text, Unix timestamps), the time the survey was
  answered first, record-keeping dates (created, updated, birth, signup, last login…) last
  (:func:`rank_date_columns`); a note names the others and ``--date``.
* **response id / customer** — an id column whose values repeat is a customer's id, not a
  response id (:func:`repeated_ids`); a note says how many customers answered more than once
  and names ``--customer``.
* **comment** — a free-text column: long, mostly distinct text (any language, found by its
  content); a header like "Why…?", "Comment", "原因", "Komentaras", "Коментар", "Begründung",
  "Comentário" or SurveyMonkey's "Open-Ended Response" marks the preferred one.
* **segments** — categorical columns only: text whose values repeat (at most 50 distinct
  values, and at most one distinct value per three answers), never free text, ids, e-mail
  addresses, web addresses, dates, timestamps or numbers; survey-tool metadata (IP address,
  status…) is left out; at most six, in file order.
* **drivers** — the other rating questions (:func:`rating_columns`): columns whose answers
  are all whole numbers from 0 to 10 (0–10, 1–5, 1–7 questions), with at least two distinct
  answers, not headed as an id and not the score; at most
  :data:`nps_xl.key_drivers.MAX_DRIVERS` (15), in file order, the rest named in a note. A
  numbers-only column with any value beyond 10 ("Store" 1–12, a customer number) is not a
  rating: it is neither a driver nor (numbers never are) a segment. A rating column is never
  a segment unless named with ``--segment``; a note names the drivers and ``--drivers``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl.dates import is_yyyymm, parse_periods
from nps_xl.io._common import Listing, Note, SurveyFileError, norm, rows_message
from nps_xl.io.readers import GOOGLE_FORMS_TIMESTAMPS
from nps_xl.key_drivers import MAX_DRIVERS, RATING_RANGE
from nps_xl.scores import parse_scores, resolve_scale, scale_doubt

__all__ = [
    "COLUMN_NOTES",
    "DRIVERS_OFF",
    "MAX_SEGMENTS",
    "MAX_SEGMENT_VALUES",
    "SCORE_HEADER",
    "Columns",
    "RepeatedIds",
    "check_drivers",
    "date_columns",
    "detect_columns",
    "parse_drivers_option",
    "rating_columns",
    "repeated_ids",
]

MAX_SEGMENTS = 6
MAX_SEGMENT_VALUES = 50
#: ``--drivers none`` (any case): no key drivers.
DRIVERS_OFF = "none"


@dataclass(frozen=True)
class Columns:
    """Which export column holds what. ``None`` means the export has no such column."""

    score: str
    date: str | None = None
    comment: str | None = None
    segments: tuple[str, ...] = ()
    response_id: str | None = None
    customer: str | None = None
    weight: str | None = None
    #: other rating questions, in file order: the key drivers of the score
    drivers: tuple[str, ...] = ()

    def describe(self) -> list[tuple[str, str]]:
        """(role, column) pairs for a summary table."""
        rows = [("score", self.score)]
        for role in ("date", "comment", "response_id", "customer", "weight"):
            value = getattr(self, role)
            if value is not None:
                rows.append((role, value))
        rows.extend(("segment", s) for s in self.segments)
        rows.extend(("driver", d) for d in self.drivers)
        return rows


# ----------------------------------------------------------------------------- vocabulary
# Matched against the normalised header (NFKC, case-folded) and Qualtrics' question text.

#: The recommend question or NPS, in en, zh-Hans, zh-Hant, lt, bg, pt, es, fr, de, it, nl, pl,
#: ru, ja, ko.
SCORE_HEADER = re.compile(
    r"recommend|(^|[^a-z])(nps|ltr)([^a-z]|$)|net promoter|推荐|推薦|rekomend|препоръч|"
    r"рекоменд|посовет|recomend|recomiend|recommand|empfehl|raccomand|consiglier|consigliare|"
    r"aanbevel|aanraden|aan te bevelen|aan te raden|polec|勧め|薦め|すすめ|推奨|紹介|추천"
)
#: Headers that name the score column outright (the whole header, README "A header that names
#: the score"): NPS, the recommend question or its short name, in en, zh-Hans, zh-Hant, lt, bg.
_SCORE_EXACT_STRONG = re.compile(
    r"(nps|nps score|net promoter|net promoter score|ltr|likelihood to recommend|"
    r"likelihood of recommending|recommend score|recommendation score|"
    r"how likely .*recommend.*|"
    r"推荐意愿|推荐度|推荐可能性|推荐指数|.*推荐.*可能.*|.*可能.*推荐.*|"
    r"推薦意願|推薦度|推薦可能性|推薦指數|.*推薦.*可能.*|.*可能.*推薦.*|"
    r"rekomendavimo tikimybė|kaip tikėtina.*rekomend.*|.*tikimyb.*rekomend.*|"
    r"вероятност за препоръка|колко (е )?вероятно.*препоръч.*|.*вероятност.*препоръч.*)"
)
#: The word "score" as the whole header: Score, 评分/分数/得分, 評分/分數, Balas/Įvertinimas,
#: Оценка.
_SCORE_EXACT_WORD = re.compile(r"(score|评分|分数|得分|評分|分數|balas|įvertinimas|оценка)")
#: What may follow the name: the scale or the question mark ("NPS (0-10)", "Score 0–10?").
_SCORE_EXACT_TAIL = re.compile(r"[\s:?？：.]*(\(?\s*[01]\s*[-–—~to]+\s*10\s*\)?)?[\s:?？：.]*$")


def score_named_exactly(header: object) -> int:
    """2 when ``header`` is wholly the score's name or the recommend question ("NPS",
    "Likelihood to recommend", "How likely are you to recommend us to a friend?", 推荐意愿,
    "Kaip tikėtina, kad rekomenduotumėte…", "Колко вероятно е да препоръчате…"), 1 when it is
    wholly "Score" in one of the five languages, else 0 — an optional scale "(0-10)" and a
    final "?" or ":" aside."""
    name = _SCORE_EXACT_TAIL.sub("", norm(header)).strip(" ,")
    if _SCORE_NOT.search(name):
        return 0
    if _SCORE_EXACT_STRONG.fullmatch(name):
        return 2
    return 1 if _SCORE_EXACT_WORD.fullmatch(name) else 0


_SCORE_WEAK = re.compile(
    r"(^|[^a-z])(score|rating)([^a-z]|$)|评分|評分|分数|分數|得分|打分|balas|įvertinim|"
    r"оценка|оценк|pontuação|puntuación|nota|note|punteggio|voto|bewertung|punktzahl|cijfer|"
    r"ocena|点数|評価|점수|평가"
)
_SCORE_NOT = re.compile(
    r"_nps_group$|nps group|reason|why|原因|为什么|為什麼|kodėl|защо|почему|warum|pourquoi|"
    r"porque|por qué|por que|perché|waarom|dlaczego|理由|なぜ|이유|왜"
)
_COMMENT = re.compile(
    r"why|comment|reason|feedback|explain|tell us|open-ended|remark|suggest|improve|anything else|"
    r"verbatim|原因|评论|評論|意见|意見|建议|建議|反馈|回饋|说明|說明|为什么|為什麼|"
    r"komentar|kodėl|priežast|pastab|pasiūlym|"
    r"коментар|защо|причина|мнение|предложени|забележк|комментар|почему|причин|отзыв|пожелани|"
    r"coment|motivo|porqu|por que|por qué|razão|razón|sugest|sugerenc|observa|"
    r"pourquoi|raison|remarque|précis|kommentar|begründ|warum|grund|anmerkung|bemerkung|"
    r"anregung|verbesser|perché|suggeriment|osservazion|opmerking|toelichting|waarom|reden|"
    r"suggestie|verbeter|dlaczego|powód|uzasadn|uwagi|"
    r"コメント|理由|なぜ|ご意見|感想|ご要望|의견|이유|코멘트|왜|제안"
)
_DATE_PRIORITY = (
    "date",
    "submitted at",
    "submit date (utc)",
    "submit date",
    "timestamp",
    "recordeddate",
    "recorded date",
    "enddate",
    "end date",
    "date created",
    "date modified",
    "startdate",
    "start date",
    "start date (utc)",
    # Google Forms' timestamp column in the owner's language
    *GOOGLE_FORMS_TIMESTAMPS[1:],
    # "date" in the other languages
    "日期",
    "日付",
    "날짜",
    "data",
    "дата",
    "datum",
    "fecha",
    "date de réponse",
    "提交时间",
    "提交時間",
    "回答日時",
)
_DATE_WORDS = re.compile(
    r"(^|[^a-z])(date|datum|fecha|data|time|timestamp|submitted|created|completed|ended|started)"
    r"([^a-z]|$)|日期|日付|时间|時間|날짜|дата|время|laikas"
)
#: Headers of the time the survey was answered (en, zh-Hans, zh-Hant, lt, bg, and the survey
#: tools' own words): ranked above every other date column.
DATE_ANSWERED = re.compile(
    r"submit|answer|respon|complet|survey|timestamp|time stamp|recorded|end ?date|ended|"
    r"finish|filled|taken|"
    r"提交|填写|填寫|答题|答題|作答|回答|回复|回覆|完成|问卷|問卷|调查|調查|时间戳|時間戳|"
    r"pateik|atsak|užpild|apklaus|laiko žymė|"
    r"попълн|подаден|подаде|отговор|анкет|клеймо за време"
)
#: Headers of record-keeping dates (created, updated, modified, birth, signup, last login…):
#: ranked below every other date column, even when they also name the survey ("Survey
#: created").
DATE_RECORD_KEEPING = re.compile(
    r"creat|updat|modif|chang|edited|birth|(^|[^a-z])(dob|born|bday)([^a-z]|$)|signup|"
    r"sign up|sign-up|signed up|regist|joined|join date|enrol|login|log in|logged|last seen|"
    r"last activ|last visit|last purchase|expir|renew|"
    r"创建|建立|創建|更新|修改|变更|變更|出生|生日|注册|註冊|登录|登錄|登入|加入|到期|"
    r"sukurt|atnaujint|pakeist|redaguot|gimim|registr|prisijung|galioj|"
    r"създаден|създаде|обнов|актуализ|промен|раждан|рожден|регистр|вход|влизан|изтича"
)
#: Keys of the notes on which column was taken for what (the date among several, an id that
#: repeats): told once, where the columns are detected.
COLUMN_NOTES = frozenset(
    {"note_date_columns", "note_id_repeats", "note_id_repeats_other", "note_customers_repeat"}
)
#: The header of a customer's (or an account's) id: the word alone ("Customer", "客户") or with an
#: id word ("Account ID", "client_no", "用户编号", "Kliento Nr.", "Номер на клиент").
_CUSTOMER_WORD = (
    r"(customer|client|account|user|member|subscriber|buyer|"
    r"客户|客戶|顾客|顧客|用户|用戶|会员|會員|账户|賬戶|帳戶|账号|帳號|"
    r"klient\w*|paskyr\w*|naudotoj\w*|vartotoj\w*|nari\w*|pirkėj\w*|"
    r"клиент\w*|акаунт\w*|сметк\w*|потребител\w*|член\w*|абонат\w*)"
)
_CUSTOMER_ID_WORD = (
    r"(id|ids|no|nr|number|num|#|№|code|key|ref|编号|編號|号|號|代码|代碼|numeris|номер|код)"
)
CUSTOMER_HEADER = re.compile(
    rf"^{_CUSTOMER_WORD}$|^{_CUSTOMER_WORD}[\s_\-.]*{_CUSTOMER_ID_WORD}\.?$|"
    rf"^{_CUSTOMER_ID_WORD}[\s_\-.]*(на\s+|of\s+|del\s+)?{_CUSTOMER_WORD}$"
)
_RESPONSE_ID = (
    "response id",
    "responseid",
    "respondent id",
    "#",
    "token",
    "response_id",
    "id",
    "回复编号",
    "回覆編號",
    "答卷编号",
    "编号",
    "編號",
    "序号",
    "序號",
    "回答id",
    "응답 id",
    "nr.",
    "nr",
    "no.",
    "номер",
    "№",
    "numer",
    "número",
    "numero",
    "nummer",
    "n°",
)
_CUSTOMER = (
    "customer id",
    "customer_id",
    "customerid",
    "customer",
    "client id",
    "account id",
    "客户id",
    "客戶id",
    "客户编号",
    "客戶編號",
    "kliento id",
    "klientas",
    "клиент id",
    "клиент",
    "id cliente",
    "cliente",
    "kundennummer",
    "kunden-id",
    "n° client",
    "numéro client",
    "klantnummer",
    "顧客id",
    "고객 id",
)
_WEIGHT = (
    "weight",
    "weights",
    "survey weight",
    "权重",
    "權重",
    "svoris",
    "тегло",
    "вес",
    "gewicht",
    "peso",
    "poids",
    "waga",
)
# metadata columns the survey tools add; never segments
_METADATA = {
    "collector id",
    "ip address",
    "ipaddress",
    "email address",
    "email",
    "e-mail",
    "first name",
    "last name",
    "name",
    "custom data 1",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
    "network id",
    "tags",
    "response type",
    "language",
}
_ID_HEADER = re.compile(
    r"(^|[^a-z])(id|uuid|guid|token|number|no|nr|phone|tel|e-?mail|url|ip)([^a-z]|$)|编号|編號|"
    r"号码|號碼|номер|numer|número|numero|nummer|전화|メール|電話"
)
#: Headers of numbers that code a category or a position, never a rating question: a store or
#: postal code, a row or sequence number, a wave, quarter or year, an age group, a gender code.
_CODE_HEADER = re.compile(
    r"(^|[^a-z])(code|codes|zip|postal|postcode|plz|row|index|idx|seq|sequence|wave|quarter|"
    r"year|month|week|age|gender|sex|group|cluster|class|category|type|kundennr|kdnr)([^a-z]|$)|"
    r"#|nr\.?$|代码|代碼|编码|編碼|年龄|年齡|性别|性別|kodas|amžius|lytis|(?<!\w)код(?!\w)|възраст|(?<!\w)пол(?!\w)"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)
_ID_VALUE = re.compile(r"^[A-Za-z#]{0,4}[-_ ]?\d{3,}[A-Za-z]?$|^[0-9a-fA-F-]{16,}$")
_DATE_TEXT = re.compile(r"^\s*(\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|\d{4}年\d{1,2}月\d{1,2}日)")
_UNIX_SECONDS = (946_684_800, 4_102_444_800)  # 2000-01-01 … 2100-01-01


# ----------------------------------------------------------------------------- detection


@dataclass
class Detection:
    """The detected columns and the notes detection made (left-out rating columns…)."""

    columns: Columns
    notes: list[Note]
    #: the other date columns, best first (:func:`rank_date_columns`); ``--date`` picks one
    other_dates: tuple[str, ...] = ()
    #: the customer column's repeats, when it was detected and some customer answered twice
    repeats: RepeatedIds | None = None


@dataclass(frozen=True)
class RepeatedIds:
    """How often the values of an id column repeat: ``customers`` values (customers) appear
    more than once, on ``answers`` answers in all (blanks are no id and never repeat)."""

    customers: int
    answers: int


def repeated_ids(values: pd.Series) -> RepeatedIds:
    """The repeats of an id column, counted on its values as text ("0012" and "12" differ,
    12.0 and "12" do not), blanks left out."""
    text = values.dropna()
    if text.dtype.kind == "f":
        text = text.map(lambda v: str(int(v)) if float(v).is_integer() else str(v))
    text = text.astype(str).str.strip()
    counts = text[text != ""].value_counts()
    many = counts[counts > 1]
    return RepeatedIds(customers=len(many), answers=int(many.sum()))


def _repeat_note(column: str, repeated: RepeatedIds, key: str, **more: str) -> Note:
    return Note(
        None,
        key,
        column=str(column),
        customers=repeated.customers,
        answers=repeated.answers,
        **more,
    )


def detect_columns(
    frame: pd.DataFrame,
    *,
    score: str | None = None,
    date: str | None = None,
    comment: str | None = None,
    segments: Sequence[str] | None = None,
    response_id: str | None = None,
    customer: str | None = None,
    weight: str | None = None,
    scale: object = None,
    drivers: Sequence[str] | str | None = None,
) -> Columns:
    """Find the columns of a survey export; explicit arguments win (see the module).

    ``scale`` (``"1-5"``, four breaks…) judges score-like columns on that scale and turns off
    the check for 1–5 answers. Raises :class:`SurveyFileError` naming the flag to pass
    (``--score "column"``) and listing the candidates when the score column is missing or
    ambiguous, or suggesting ``--scale`` when the answers are on a shorter scale.
    """
    return detect(
        frame,
        questions={},
        comment_hint=None,
        score=score,
        date=date,
        comment=comment,
        segments=segments,
        response_id=response_id,
        customer=customer,
        weight=weight,
        scale=scale,
        drivers=drivers,
    ).columns


def detect(
    frame: pd.DataFrame,
    *,
    questions: dict[str, str] | None = None,
    comment_hint: str | None = None,
    score: str | None = None,
    date: str | None = None,
    comment: str | None = None,
    segments: Sequence[str] | None = None,
    response_id: str | None = None,
    customer: str | None = None,
    weight: str | None = None,
    scale: object = None,
    drivers: Sequence[str] | str | None = None,
) -> Detection:
    """:func:`detect_columns` with the header facts passed explicitly; returns the notes."""
    ctx = _Context(frame, questions or {}, scale)
    notes: list[Note] = []
    explicit = {
        "score": _resolve(frame, score, "--score"),
        "date": _resolve(frame, date, "--date"),
        "comment": _resolve(frame, comment, "--comment"),
        "response_id": _resolve(frame, response_id, "--response-id"),
        "customer": _resolve(frame, customer, "--customer"),
        "weight": _resolve(frame, weight, "--weight"),
    }
    taken: set[str] = {v for v in explicit.values() if v}
    explicit_segments = (
        None if segments is None else tuple(_resolve(frame, s, "--segment") for s in segments)
    )
    if explicit_segments:
        taken.update(explicit_segments)
    chosen = parse_drivers_option(drivers)
    explicit_drivers = (
        None if chosen is None else tuple(_resolve(frame, d, "--drivers") for d in chosen)
    )
    if explicit_drivers:
        taken.update(explicit_drivers)

    rid = explicit["response_id"] or _first_named(frame, _RESPONSE_ID, taken)
    if rid:
        taken.add(rid)
    cust = (
        explicit["customer"]
        or _first_named(frame, _CUSTOMER, taken)
        or _customer_by_header(ctx, taken)
    )
    if cust:
        taken.add(cust)
    repeats = None
    if rid and not explicit["response_id"]:
        repeated = repeated_ids(frame[rid])
        if repeated.customers:
            # an id that repeats is no response id: a customer's (or an account's) id
            if cust is None:
                notes.append(_repeat_note(rid, repeated, "note_id_repeats"))
                cust, repeats = rid, repeated
            else:
                notes.append(_repeat_note(rid, repeated, "note_id_repeats_other", other=cust))
            rid = None
    if cust and not explicit["customer"] and repeats is None:
        repeated = repeated_ids(frame[cust])
        if repeated.customers:
            repeats = repeated
            notes.append(_repeat_note(cust, repeated, "note_customers_repeat"))
    wcol = explicit["weight"] or _first_named(frame, _WEIGHT, taken)
    if wcol:
        taken.add(wcol)
    ranked = rank_date_columns(ctx, _date_candidates(ctx, taken - {explicit["date"]}))
    dcol = explicit["date"] or (ranked[0] if ranked else None)
    other_dates = tuple(c for c in ranked if c != dcol)
    if dcol:
        taken.add(dcol)
    if dcol and other_dates and not explicit["date"]:
        shown = Listing([repr(str(c)) for c in other_dates[:5]], more=max(len(other_dates) - 5, 0))
        notes.append(Note(None, "note_date_columns", column=str(dcol), others=shown))
    # dates in one of the other date-like columns (e.g. Start Date) are never segments
    date_like = {c for c in frame.columns if c not in taken and ctx.is_date_like(c)}

    # a driver named with --drivers is still a candidate for the score: naming the score
    # column a driver is then said as such, not as a missing score
    scol = explicit["score"] or _detect_score(
        ctx, (taken - set(explicit_drivers or ())) | date_like
    )
    taken.add(scol)
    if scale is None:
        _check_scale(ctx, scol)

    ccol = explicit["comment"] or _detect_comment(ctx, scol, comment_hint, taken | date_like)
    if ccol:
        taken.add(ccol)

    if explicit_drivers is not None:
        if scol in explicit_drivers:
            raise SurveyFileError.from_key("error_driver_is_score", column=str(scol))
        ratings: list[str] = []
        found = list(explicit_drivers)
    else:
        ratings = rating_columns(frame, exclude=taken | date_like, ctx=ctx)
        found = ratings
    if explicit_segments is not None:
        segs: tuple[str, ...] = explicit_segments
    else:
        segs = tuple(_detect_segments(ctx, taken | date_like | set(found)))
    drvs = _driver_limit(found, notes)
    if ratings:
        shown = Listing([repr(str(c)) for c in drvs[:5]], more=max(len(drvs) - 5, 0))
        notes.append(Note(None, "note_ratings_as_drivers", columns=shown))
    if explicit_drivers is None:  # a rating question left out for a few answers: said
        near = taken | date_like | set(found) | set(segs)
        for column, value, row, count in almost_ratings(frame, exclude=near):
            notes.append(
                Note(
                    None,
                    "note_almost_rating",
                    column=str(column),
                    value=repr(str(value)),
                    rows=rows_message(pd.Index([row], name=frame.index.name)),
                    count=count,
                )
            )
    return Detection(
        Columns(
            score=scol,
            date=dcol,
            comment=ccol,
            segments=tuple(segs),
            response_id=rid,
            customer=cust,
            weight=wcol,
            drivers=tuple(drvs),
        ),
        notes,
        other_dates=other_dates,
        repeats=repeats,
    )


class _Context:
    """The frame plus cached facts about its columns (each computed once)."""

    def __init__(self, frame: pd.DataFrame, questions: dict[str, str], scale: object) -> None:
        self.frame = frame
        self.questions = questions
        self.scale = resolve_scale(scale) if scale is not None else resolve_scale("0-10")
        self._cache: dict[tuple[str, str], object] = {}

    def labels(self, column: str) -> list[str]:
        out = [norm(column)]
        question = self.questions.get(column)
        if question:
            out.append(norm(question))
        return out

    def sample(self, column: str, n: int = 5000) -> pd.Series:
        key = (column, f"sample{n}")
        if key not in self._cache:
            s = self.frame[column]
            s = s.iloc[:n] if len(s) > n else s
            self._cache[key] = s.dropna()
        return self._cache[key]  # type: ignore[return-value]

    def score_share(self, column: str) -> tuple[float, int]:
        """Share of non-blank values (of a sample) that are valid scores, and their count."""
        key = (column, "score")
        if key not in self._cache:
            values = self.frame[column]
            values = values.iloc[:5000] if len(values) > 5000 else values
            if values.dtype.kind in "bMm":
                self._cache[key] = (0.0, 0)
            else:
                parsed = parse_scores(values, scale=self.scale, invalid="skip")
                nonblank = parsed.n + parsed.invalid
                self._cache[key] = (parsed.n / nonblank if nonblank else 0.0, nonblank)
        return self._cache[key]  # type: ignore[return-value]

    def profile(self, column: str) -> _Profile:
        key = (column, "profile")
        if key not in self._cache:
            self._cache[key] = _profile(self.frame[column], self.sample(column, 2000))
        return self._cache[key]  # type: ignore[return-value]

    def is_date_like(self, column: str) -> bool:
        name = norm(column)
        if name in _DATE_PRIORITY:
            return True
        p = self.profile(column)
        if p.kind == "date":
            return True
        return bool(_DATE_WORDS.search(name)) and (p.kind == "unix" or p.special == "serial")


@dataclass
class _Profile:
    kind: str  # "empty", "number", "integer", "date", "unix", "serial", "bool", "text"
    n: int = 0
    distinct: int = 0
    mean_length: float = 0.0
    wordy: float = 0.0  # share of values with a space or CJK characters
    special: str | None = None  # "email", "url", "id", "date-text" when most values are
    small_integers: bool = False  # whole numbers within 0–10


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")


#: Headers of a column of periods ("Month" holding 202401, "Wave" holding 2024 Q1).
_PERIOD_HEADER = re.compile(
    r"(^|[^a-z])(month|period|wave|quarter|week|year ?month|yyyymm|yyyy-mm|fiscal|mes|mês|"
    r"periodo|período|monat|mois|mėnuo|mėnesis|laikotarpis|ketvirtis|savaitė)([^a-z]|$)|"
    r"月份|月度|季度|期间|期間|周次|週次|기간|월|месец|период|тримесечие|седмица|вълна"
)


def _profile(series: pd.Series, sample: pd.Series) -> _Profile:
    """What a column holds; a column of periods (202401, 2024 Q1, 2024-W05, January 2024) is
    a date column, never a score, an id or a segment."""
    prof = _profile_values(series, sample)
    if prof.kind in ("integer", "number") and is_yyyymm(pd.to_numeric(sample, errors="coerce")):
        # 202401 is a month when the header says so or months repeat (an id would not)
        header = bool(_PERIOD_HEADER.search(norm(series.name)))
        if header or prof.distinct < 0.5 * prof.n:
            return _Profile("date", prof.n, distinct=prof.distinct, special="period")
    if prof.kind == "text" and prof.special is None:
        filled = sample[sample.map(lambda v: isinstance(v, str) and bool(v.strip()))]
        distinct = pd.Series(pd.unique(filled.to_numpy(dtype=object)), dtype=object)
        found = parse_periods(distinct)
        if found is not None and found[0].notna().mean() >= 0.95:
            prof.kind, prof.special = "date", "period"
    return prof


def _profile_values(series: pd.Series, sample: pd.Series) -> _Profile:
    n = len(sample)
    if n == 0:
        return _Profile("empty")
    kind = series.dtype.kind
    if kind == "M":
        return _Profile("date", n)
    if kind == "b":
        return _Profile("bool", n)
    if kind in "iuf":
        return _number_profile(sample.astype(float), n)
    values = sample.tolist()
    if all(isinstance(v, bool) for v in values[:200]):
        return _Profile("bool", n)
    if sum(1 for v in values if _is_date(v)) >= 0.95 * n:
        return _Profile("date", n)
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) >= 0.95 * n:
        return _number_profile(pd.Series(numbers, dtype=float), n)
    text = pd.Series([str(v) for v in values], dtype=object).str.strip()
    as_number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    if as_number.notna().mean() >= 0.9:
        prof = _number_profile(as_number.dropna(), n)
        prof.distinct = text.nunique()
        return prof
    lengths = text.map(_visual_length)
    prof = _Profile(
        "text",
        n,
        distinct=text.nunique(),
        mean_length=float(lengths.mean()),
        wordy=float(text.map(lambda t: " " in t or bool(_CJK.search(t))).mean()),
    )
    for special, pattern in (("email", _EMAIL), ("url", _URL), ("id", _ID_VALUE)):
        if text.str.match(pattern).mean() >= 0.8:
            prof.special = special
            break
    else:
        if text.str.match(_DATE_TEXT).mean() >= 0.95:
            prof.kind = "date"
    return prof


def _visual_length(text: str) -> float:
    """Characters, with CJK ones counted as two words' worth (a Chinese comment is short)."""
    cjk = len(_CJK.findall(text))
    return len(text) + 2.5 * cjk


def _number_profile(x: pd.Series, n: int) -> _Profile:
    x = x[np.isfinite(x)]
    if x.empty:
        return _Profile("number", n)
    whole = bool((x == np.floor(x)).all())
    lo, hi = float(x.min()), float(x.max())
    prof = _Profile("integer" if whole else "number", n, distinct=int(x.nunique()))
    prof.small_integers = whole and lo >= 0 and hi <= 10
    if (_UNIX_SECONDS[0] <= lo and hi <= _UNIX_SECONDS[1]) or (
        _UNIX_SECONDS[0] * 1000 <= lo and hi <= _UNIX_SECONDS[1] * 1000
    ):
        prof.kind = "unix"
    elif lo >= 25_569 and hi <= 73_051 and hi - lo <= 3_660:  # 1970 … 2099, within 10 years
        prof.special = "serial"
    return prof


def _is_date(v: object) -> bool:
    import datetime as dt

    return isinstance(v, (dt.date, dt.datetime, pd.Timestamp, np.datetime64))


def _resolve(frame: pd.DataFrame, name: str | None, flag: str) -> str | None:
    """An explicit column name: exact, else case/space-insensitive, else a clear error."""
    if name is None:
        return None
    if name in frame.columns:
        return name
    matches = [c for c in frame.columns if norm(c) == norm(name)]
    if len(matches) == 1:
        return matches[0]
    raise SurveyFileError.from_key(
        "error_column_missing", column=name, flag=flag, columns=_list_columns(frame)
    )


def _list_columns(frame: pd.DataFrame, limit: int = 30) -> Listing:
    cols = [repr(str(c)) for c in frame.columns[:limit]]
    return Listing(cols, more=max(len(frame.columns) - limit, 0))


def _customer_by_header(ctx: _Context, taken: set[str]) -> str | None:
    """The first column headed as a customer's or an account's id (:data:`CUSTOMER_HEADER`)
    whose values could be ids: not dates, not free text, and varied (more than a third of the
    answers distinct, or more values than a segment may have), so a "Member" yes/no column
    stays a segment."""
    for c in ctx.frame.columns:
        if c in taken or not CUSTOMER_HEADER.search(norm(c)):
            continue
        prof = ctx.profile(c)
        if prof.kind in ("date", "unix", "empty", "bool") or _is_free_text(prof):
            continue
        if prof.distinct > MAX_SEGMENT_VALUES or prof.distinct > prof.n / 3:
            return c
    return None


def _first_named(frame: pd.DataFrame, names: Sequence[str], taken: set[str]) -> str | None:
    lowered: dict[str, str] = {}
    for c in frame.columns:
        lowered.setdefault(norm(c), c)
    for n in names:
        c = lowered.get(n)
        if c is not None and c not in taken:
            return c
    return None


# --- date --------------------------------------------------------------------------------------


def date_meaning(header: object) -> int:
    """0 for the time the survey was answered (:data:`DATE_ANSWERED`), 2 for a
    record-keeping date (:data:`DATE_RECORD_KEEPING`, which wins over the first: "Survey
    created"), 1 for any other date column ("Date", "Datum", "日期")."""
    name = norm(header)
    if DATE_RECORD_KEEPING.search(name):
        return 2
    if DATE_ANSWERED.search(name):
        return 0
    return 1


def _date_candidates(ctx: _Context, taken: set[str]) -> list[str]:
    """Every column that holds the answers' dates or could: a date header (a known export's,
    or one with a date word) over values that could be dates, date values, Unix timestamps
    (not under an id header), Excel serial numbers under a date header."""
    found = []
    for c in ctx.frame.columns:
        if c in taken:
            continue
        name = norm(c)
        prof = ctx.profile(c)
        if (
            (name in _DATE_PRIORITY and _could_be_dates(prof))
            or prof.kind == "date"
            or (prof.kind == "unix" and not _ID_HEADER.search(name))
            or (prof.special == "serial" and _DATE_WORDS.search(name))
        ):
            found.append(c)
    return found


def _readable_dates(ctx: _Context, column: str) -> int:
    """How many of the column's values (of a sample of 5,000) read as dates."""
    from nps_xl.io.tidy import parse_dates  # tidy builds on this module

    key = (column, "readable dates")
    if key not in ctx._cache:
        parsed = parse_dates(ctx.frame[column].iloc[:5000], None, [], str(column))
        ctx._cache[key] = int(parsed.notna().sum())
    return ctx._cache[key]  # type: ignore[return-value]


def date_columns(
    frame: pd.DataFrame, *, exclude: Sequence[str] = (), answered: Sequence[str] = ()
) -> list[str]:
    """The date columns of ``frame`` (other than ``exclude``), best first, by the rule of
    :func:`rank_date_columns`. ``answered``: columns known to hold the time of the answer (a
    workbook's own Date column), ranked with the answered ones whatever their header."""
    ctx = _Context(frame, {}, None)
    found = _date_candidates(ctx, set(exclude))
    found += [c for c in answered if c in frame.columns and c not in found and c not in exclude]
    return rank_date_columns(ctx, found, answered=answered)


def rank_date_columns(
    ctx: _Context, candidates: Sequence[str], *, answered: Sequence[str] = ()
) -> list[str]:
    """The date columns, the one to use first (README, *Which date column*):

    1. by meaning (:func:`date_meaning`): the time the survey was answered (Submitted at,
       Timestamp, 提交时间, Pateikta, Попълнено…), then other dates (Date, 日期), then
       record-keeping dates (Created, Updated, Date of birth, Signup, Last login…);
    2. among equals, a survey tool's own header first, in :data:`_DATE_PRIORITY` order
       (Qualtrics' RecordedDate before EndDate), then one with a date word, then a column
       found by its values alone;
    3. then the column with the most readable dates;
    4. then the leftmost.
    """
    order = {c: i for i, c in enumerate(ctx.frame.columns)}
    priority = {name: i for i, name in enumerate(_DATE_PRIORITY)}

    def named(c: str) -> int:
        name = norm(c)
        if name in priority:
            return priority[name]
        worded = _DATE_WORDS.search(name) or DATE_ANSWERED.search(name)
        return len(priority) + (0 if worded or DATE_RECORD_KEEPING.search(name) else 1)

    # a date header over values none of which is a date loses to columns with dates
    candidates = [c for c in candidates if _readable_dates(ctx, c)] or list(candidates)
    return sorted(
        candidates,
        key=lambda c: (
            0 if c in answered else date_meaning(c),
            ctx.profile(c).special == "period",  # days before periods (202401, 2024 Q1)
            named(c),
            -_readable_dates(ctx, c),
            order[c],
        ),
    )


def _could_be_dates(prof: _Profile) -> bool:
    """A date-named column is the date unless its values clearly are something else (tidy
    lists the values it cannot read as dates)."""
    if prof.kind in ("date", "unix", "integer", "number", "empty"):
        return True
    return prof.kind == "text" and prof.special is None and prof.mean_length <= 40


# --- score -------------------------------------------------------------------------------------


def _exact_score(ctx: _Context, taken: set[str]) -> str | None:
    """The column whose header names the score outright (:func:`score_named_exactly`) and
    holds at least one valid answer: it is the score however many of its other answers are
    invalid (they are listed), and wins over "Product NPS" or "Rating of support". NPS and the
    recommend question come before "Score"; two of one kind: the one of ≥ 80 % scores, if only
    one is, else the choice is the user's."""
    found: dict[int, list[str]] = {2: [], 1: []}
    for c in ctx.frame.columns:
        if c in taken or norm(c).endswith("_nps_group"):
            continue
        kind = score_named_exactly(c)
        if kind and ctx.profile(c).kind not in ("date", "unix", "bool"):
            share, nonblank = ctx.score_share(c)
            if nonblank and share > 0:
                found[kind].append(c)
    for kind in (2, 1):
        bucket = found[kind]
        if len(bucket) > 1:
            mostly = [c for c in bucket if ctx.score_share(c)[0] >= 0.8]
            bucket = mostly if len(mostly) == 1 else bucket
        if len(bucket) == 1:
            return bucket[0]
        if bucket:
            raise SurveyFileError(
                "Several columns look like the likelihood-to-recommend score: "
                f'{_candidates(ctx, bucket)}. Pass --score "column name" to choose.'
            ).localize("error_score_ambiguous_named", columns=_candidates(ctx, bucket))
    return None


def _detect_score(ctx: _Context, taken: set[str]) -> str:
    frame = ctx.frame
    exact = _exact_score(ctx, taken)
    if exact is not None:
        return exact
    named, weak = [], []
    for c in frame.columns:
        if c in taken:
            continue
        labels = ctx.labels(c)
        if _SCORE_NOT.search(labels[0]) or norm(c).endswith("_nps_group"):
            continue
        if any(SCORE_HEADER.search(lb) for lb in labels):
            bucket = named
        elif any(_SCORE_WEAK.search(lb) for lb in labels):
            bucket = weak
        else:
            continue
        share, nonblank = ctx.score_share(c)
        if nonblank and share >= 0.8:
            bucket.append(c)
    for bucket in (named, weak):
        if len(bucket) == 1:
            return bucket[0]
        if len(bucket) > 1:
            raise SurveyFileError(
                "Several columns look like the likelihood-to-recommend score: "
                f'{_candidates(ctx, bucket)}. Pass --score "column name" to choose.'
            ).localize("error_score_ambiguous_named", columns=_candidates(ctx, bucket))
    numeric = []
    for c in frame.columns:
        if c in taken or norm(c).endswith("_nps_group") or _is_id_column(ctx, c):
            continue
        share, nonblank = ctx.score_share(c)
        if nonblank and share >= 0.95:
            numeric.append(c)
    if len(numeric) > 1:
        upper = [c for c in numeric if _uses_upper_half(ctx, c)]
        if len(upper) == 1:
            numeric = upper
    if len(numeric) == 1:
        return numeric[0]
    if numeric:
        raise SurveyFileError.from_key(
            "error_score_ambiguous_values", scale=str(ctx.scale), columns=_candidates(ctx, numeric)
        )
    raise SurveyFileError.from_key("error_score_not_found", columns=_list_columns(frame))


def _is_id_column(ctx: _Context, column: str) -> bool:
    name = norm(column)
    if name in _RESPONSE_ID:
        return True
    prof = ctx.profile(column)
    return bool(_ID_HEADER.search(name)) and prof.distinct >= 0.9 * max(prof.n, 1)


def _uses_upper_half(ctx: _Context, column: str) -> bool:
    parsed = parse_scores(ctx.sample(column), scale=ctx.scale, invalid="skip")
    if not parsed.n:
        return False
    mid = (ctx.scale.minimum + ctx.scale.maximum) / 2
    return float(parsed.scores.max()) > mid


def _candidates(ctx: _Context, columns: list[str]) -> str:
    """``'Q1' (n=120, NPS 15), 'Q2' (n=118, NPS -3)``: each candidate with its figures."""
    parts = []
    for c in columns:
        parsed = parse_scores(ctx.frame[c], scale=ctx.scale, invalid="skip")
        if parsed.n:
            codes = ctx.scale.categorize(parsed.scores)
            nps = 100.0 * float(codes.sum()) / parsed.n
            parts.append(f"{str(c)!r} (n={parsed.n}, NPS {nps:+.0f})")
        else:
            parts.append(f"{str(c)!r} (n=0)")
    return ", ".join(parts)


def _check_scale(ctx: _Context, column: str) -> None:
    """Stop when the score column cannot plausibly be a 0–10 question
    (:func:`nps_xl.scores.scale_doubt`: answers within 0–5 or 1–7, or a header naming another
    scale); the message names ``--scale``."""
    parsed = parse_scores(ctx.frame[column], scale="0-10", invalid="skip")
    doubt = scale_doubt(parsed, str(column))
    if doubt is not None:
        key, fields = _scale_message(doubt)
        raise SurveyFileError.from_key(key, **fields)


def _scale_message(doubt) -> tuple:
    key = "error_score_scale" if doubt.reason == "values" else "error_scale_header_cli"
    return key, {
        "count": doubt.count,
        "column": doubt.header,
        "span": doubt.span,
        "guess": doubt.guess,
    }


# --- comment -----------------------------------------------------------------------------------


def _is_free_text(prof: _Profile) -> bool:
    """Long, mostly distinct text: what people write, not what they pick."""
    if prof.kind != "text" or prof.special is not None or prof.n == 0:
        return False
    distinct = prof.distinct / prof.n
    return prof.mean_length >= 15 and prof.wordy >= 0.5 and (distinct >= 0.5 or prof.n < 6)


def _detect_comment(ctx: _Context, score: str, hint: str | None, taken: set[str]) -> str | None:
    frame = ctx.frame
    cols = [c for c in frame.columns if c not in taken]
    order = list(frame.columns)
    after = set(order[order.index(score) + 1 :]) if score in order else set(order)
    if hint and hint in cols and hint in after:
        return hint

    def texty(c: str) -> bool:
        prof = ctx.profile(c)
        return prof.kind == "text" and prof.special is None

    named = [c for c in cols if texty(c) and any(_COMMENT.search(lb) for lb in ctx.labels(c))]
    # a named column that reads like free text first, then any named text column
    for pool in ([c for c in named if _is_free_text(ctx.profile(c))], named):
        in_after = [c for c in pool if c in after]
        if in_after:
            return in_after[0]
        if pool:
            return pool[0]
    if hint and hint in cols:
        return hint
    free = [c for c in cols if _is_free_text(ctx.profile(c))]
    if not free:
        return None
    in_after = [c for c in free if c in after]
    if in_after:
        return in_after[0]
    return max(free, key=lambda c: ctx.profile(c).mean_length)


# --- segments ----------------------------------------------------------------------------------


def _detect_segments(ctx: _Context, taken: set[str]) -> list[str]:
    """Categorical columns (see the module); ``taken`` holds the drivers."""
    segs: list[str] = []
    for c in ctx.frame.columns:
        name = norm(c)
        if c in taken or name in _METADATA or name.endswith("_nps_group"):
            continue
        prof = ctx.profile(c)
        if prof.kind != "text" or prof.special is not None or prof.n == 0:
            continue
        if _is_free_text(prof) or any(_COMMENT.search(lb) for lb in ctx.labels(c)):
            continue
        if _ID_HEADER.search(name) and prof.distinct > prof.n / 3:
            continue
        if prof.distinct > MAX_SEGMENT_VALUES or prof.distinct > max(2, prof.n // 3):
            continue  # decided on the sample: too many distinct values
        column = ctx.frame[c]
        distinct = column.nunique(dropna=True)
        if not 2 <= distinct <= MAX_SEGMENT_VALUES or distinct > max(2, column.count() // 3):
            continue
        if len(segs) < MAX_SEGMENTS:
            segs.append(c)
    return segs


# --- drivers -----------------------------------------------------------------------------------


def parse_drivers_option(value: Sequence[str] | str | None) -> tuple[str, ...] | None:
    """The ``--drivers`` choice: ``None`` (detect them), ``()`` (``"none"`` or an empty list:
    no drivers) or the column names, from a list or one comma-separated text
    (``"Product,Support"``)."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    names = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
    if len(names) == 1 and names[0].casefold() == DRIVERS_OFF:
        return ()
    return names


def check_drivers(frame: pd.DataFrame, names: Sequence[str]) -> None:
    """Each driver named with ``--drivers`` holds ratings: a non-blank value that is not a
    whole number from 0 to 10 stops, naming the column, its file row and the value."""
    lo, hi = RATING_RANGE
    for name in names:
        series = frame[name]
        text = series.astype(str).str.strip()
        blank = series.isna().to_numpy() | text.isin(["", "nan", "NaN", "None"]).to_numpy()
        numbers = pd.to_numeric(text.where(~blank), errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            bad = ~blank & ~((numbers == np.round(numbers)) & (numbers >= lo) & (numbers <= hi))
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            raise SurveyFileError.from_key(
                "error_driver_not_rating",
                column=str(name),
                value=str(series.iloc[at]).strip()[:60],
                count=int(bad.sum()),
                rows=rows_message(frame.index[at : at + 1]),
            )


def is_rating(values: pd.Series, *, numbers_only: bool = False) -> bool:
    """Whether a column holds the answers of a rating question: every non-blank value a whole
    number from 0 to 10 (numbers, or text that reads as one unless ``numbers_only``: a
    workbook's cells, where "4" typed as text is a label), at least two distinct ones. Judged
    on the whole column, so an id or a store number above 10 anywhere is no rating."""
    series = values
    if series.dtype.kind in "bMm":
        return False
    if series.dtype.kind not in "iuf":
        filled = series.dropna()
        if numbers_only:
            kinds = filled.map(lambda v: (isinstance(v, str) and bool(v.strip())) or _bool(v))
            if kinds.any():
                return False
        text = filled.astype(str).str.strip()
        text = text[text != ""]
        if text.empty:
            return False
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.isna().any():
            return False
    else:
        numbers = series.dropna().astype(float)
    if numbers.empty:
        return False
    lo, hi = RATING_RANGE
    whole = bool((numbers == np.floor(numbers)).all())
    return whole and numbers.min() >= lo and numbers.max() <= hi and numbers.nunique() >= 2


def _bool(value: object) -> bool:
    return isinstance(value, (bool, np.bool_))


def _may_be_rating(column: object) -> bool:
    """Whether the header allows a rating question: not survey-tool metadata, Qualtrics'
    ``…_NPS_GROUP`` codes, an id, or numbers that code a category or a position."""
    name = norm(column)
    if name in _METADATA or name.endswith("_nps_group") or name in _RESPONSE_ID:
        return False
    return not (_ID_HEADER.search(name) or _CODE_HEADER.search(name))


def rating_columns(
    frame: pd.DataFrame,
    *,
    exclude: set[str] | Sequence[str] = (),
    ctx: _Context | None = None,
    numbers_only: bool = False,
) -> list[str]:
    """The other rating questions of ``frame`` in file order (the module's *drivers* rule):
    :func:`is_rating` columns that are not headed as ids, survey-tool metadata or Qualtrics'
    ``…_NPS_GROUP`` codes, nor in ``exclude``. ``numbers_only``: text cells are no ratings
    (a workbook's Responses table, :mod:`nps_xl.excel.refresh`)."""
    ctx = ctx or _Context(frame, {}, None)
    skip = set(exclude)
    found = []
    for c in frame.columns:
        if c in skip or not _may_be_rating(c):
            continue
        prof = ctx.profile(c)  # the sample first: most columns are no numbers at all
        if prof.kind not in ("integer", "number") or not prof.small_integers:
            continue
        if is_rating(frame[c], numbers_only=numbers_only):
            found.append(c)
    return found


def almost_ratings(
    frame: pd.DataFrame, *, exclude: set[str] | Sequence[str] = ()
) -> list[tuple[str, object, object, int]]:
    """Columns that read as a rating question but for a few answers — at least 80% of the
    non-blank values whole numbers from 0 to 10 (two distinct at least), the rest not
    ("N/A", an 11): ``(column, first such value, its row, how many)``. They are no key drivers
    (:func:`is_rating`), and a note says so, so that none is left out without a word."""
    skip = set(exclude)
    lo, hi = RATING_RANGE
    found = []
    for c in frame.columns:
        if c in skip or not _may_be_rating(c):
            continue
        series = frame[c]
        if series.dtype.kind in "bMm":
            continue
        # number cells: a typo (one 11 in a 0–10 column), not a count that runs past 10
        least = 0.99 if series.dtype.kind in "iuf" else 0.8
        head = series.head(2_000).dropna().astype(str).str.strip()
        head = head[head != ""]
        if len(head) < 10:
            continue
        numbers = pd.to_numeric(head, errors="coerce")
        fits = numbers.notna() & (numbers == np.floor(numbers)) & numbers.between(lo, hi)
        if fits.mean() < least or numbers[fits].nunique() < 2:
            continue
        text = series.dropna().astype(str).str.strip()
        text = text[text != ""]
        numbers = pd.to_numeric(text, errors="coerce")
        fits = numbers.notna() & (numbers == np.floor(numbers)) & numbers.between(lo, hi)
        if fits.all() or fits.mean() < least:
            continue
        bad = series.loc[text[~fits].index]
        found.append((c, bad.iloc[0], frame.index[frame.index.get_loc(bad.index[0])], len(bad)))
    return found


def _driver_limit(found: Sequence[str], notes: list[Note]) -> list[str]:
    """At most :data:`~nps_xl.key_drivers.MAX_DRIVERS` drivers, the first in file order; a
    note names the ones left out."""
    if len(found) <= MAX_DRIVERS:
        return list(found)
    rest = [repr(str(c)) for c in found[MAX_DRIVERS:]]
    shown = Listing(rest[:5], more=max(len(rest) - 5, 0))
    notes.append(Note(None, "note_drivers_limit", limit=MAX_DRIVERS, columns=shown))
    return list(found[:MAX_DRIVERS])
