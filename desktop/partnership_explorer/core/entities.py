"""Entity recognition: a curated gazetteer plus a few conservative patterns for names it does not know.

The gazetteer (``resources/gazetteer.toml``) lists countries, people, government bodies, companies,
organisations and places with their aliases. :meth:`Gazetteer.find` returns every mention in a text, with
offsets into the *original* string, whatever its accents, case, hyphenation or Unicode normal form.

Matching rules (see the header of ``gazetteer.toml`` for the editor's view):

* text and aliases are *folded* the same way: accents dropped (Vietnamese "đ" -> "d"), curly quotes and
  dashes straightened; case is ignored except for acronyms, which must match exactly ("MSIT", not "msit");
* a space or hyphen inside an alias matches any run of spaces/hyphens ("Choi Young-sam" == "Choi Young Sam");
* matches start and end on word boundaries; the leftmost, then longest, alias wins and mentions never overlap.

All aliases are compiled into one trie-shaped regular expression, so a 5 KB article costs about a millisecond.

Names outside the gazetteer are found by patterns and returned with ``known=False``: a title followed by a
personal name ("Minister of Fisheries Nguyen Van A" -> person "Nguyen Van A"), company-suffix names
("Hanoi Beer Co.", "Shinsegae Group") and capitalised body names ("Ministry of ...", "... University",
"... Agency", "... Chamber of Commerce").
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .pattern_gates import WordGates, find_all

ENTITY_TYPES = ("country", "person", "government", "company", "organisation", "place")


@dataclass(frozen=True)
class Entity:
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True)
class EntityMention:
    start: int
    end: int
    text: str
    entity: Entity
    known: bool  # False for names found by pattern, not in the gazetteer


# --------------------------------------------------------------------------------------------------------------
# Folding
# --------------------------------------------------------------------------------------------------------------

_SPECIAL_FOLDS = {
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x0250), (0x1E00, 0x1F00)]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            if len(base) == 1 and base != ch:
                table[cp] = base
    for cp in range(0x0300, 0x0370):  # combining diacritics (decomposed input) vanish
        table[cp] = ""
    for ch, rep in _SPECIAL_FOLDS.items():
        table[ord(ch)] = rep
    return table


_FOLD_TABLE = _build_fold_table()
# The same folding as ``str.translate(_FOLD_TABLE)``, replacing only the characters that fold: ten times quicker
# on English text, where few do (translate looks every character up in the table), and no slower on Vietnamese.
_FOLDING = {chr(cp): folded for cp, folded in _FOLD_TABLE.items()}
_FOLDABLE_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_FOLDING)) + "]")


def _folded_char(m: re.Match) -> str:
    return _FOLDING[m.group()]


def fold(text: str) -> str:
    """Accent- and punctuation-fold ``text`` (case is kept): "Tô Lâm’s" -> "To Lam's"."""
    return _FOLDABLE_RE.sub(_folded_char, text)


def _fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text``; return the folded string and, if characters were dropped, folded index -> original index.

    Every character folds to at most one character, so a map is only needed when something was deleted
    (combining marks of decomposed input, zero-width characters)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    table = _FOLD_TABLE
    keep = [i for i, ch in enumerate(text) if table.get(ord(ch), ch) != ""]
    return folded, keep


_SEP_RE = re.compile(r"[\s\-]+")
# Vietnamese names of countries of one syllable, which are also given names and common words: "Đức" (Germany; a man's
# name), "Anh" (Britain; a name, "tiếng Anh" the English language), "Mỹ", "Nga", "Pháp", "Úc", "Séc"
_VI_ONE_SYLLABLE_COUNTRIES = frozenset({"Đức", "Anh", "Mỹ", "Nga", "Pháp", "Úc", "Séc"})
_VI_CAPITALISED_BEFORE = re.compile(r"(?:^|[\s(\"“])(?P<w>[^\W\d_][\w’']*)[ \t]+$")
_VI_WORD_AFTER = re.compile(r"[ \t]+(?P<w>[^\W\d_]+)")
# the words these syllables make with the one after them, which name no country
_VI_COMPOUNDS = {
    "Mỹ": {"thuật", "nghệ", "phẩm", "học", "quan", "cảm", "mãn", "tho", "sơn", "đình", "lệ", "linh", "hạnh", "tâm", "nhân",
           "đức", "miều", "vị", "hảo", "lộc", "phước", "hào", "xuyên", "tú", "ngọc"},
    "Anh": {"hùng", "ngữ", "văn", "tuấn", "minh", "hào", "tài", "dũng", "thư", "em", "chị", "ấy", "ta", "kiệt"},
    "Pháp": {"luật", "lý", "chế", "quyền", "nhân", "định", "lệnh", "điển", "sư", "trị", "môn", "danh", "hội"},
    "Đức": {"tin", "độ", "tính", "hạnh", "phật", "giáo", "dục", "cha", "mẹ", "vua", "ông"},
    "Nga": {"my"},
}
_VI_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"“(]\s*)$")
_VI_CAPITALISED_AFTER = re.compile(r"[ \t]+(?P<w>(?-i:[A-ZÀ-ỸĐ])[\w’']*)")
# words before a name that make it a person's or a language ("ông Đức", "tiếng Anh", "người Nga" is a people: kept),
# in lower case
_VI_NOT_A_COUNTRY_BEFORE = frozenset({"ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cháu", "tiếng", "mỹ", "đức",
                                      "thẩm"})


def _vietnamese_country_word(text: str, start: int, end: int) -> bool:
    """Whether a one-syllable Vietnamese country name at ``text[start:end]`` names the country: not one syllable of
    a person's name (the word before it is capitalised, "Lâm Đức Hải", or it opens a name, "Đức Hải nói") nor a
    word after a kinship term or "tiếng" ("ông Đức", "tiếng Anh")."""
    before = _VI_CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
    word = before["w"] if before else ""
    if word.lower() in _VI_NOT_A_COUNTRY_BEFORE:
        return False
    word_start = before.start("w") if before else start
    if word[:1].isupper() and not _VI_SENTENCE_START.search(text[max(0, word_start - 4):word_start]):
        return False  # "Lâm Đức Hải", "Nguyễn Minh Đức" (a capitalised word inside the sentence before it)
    after = _VI_CAPITALISED_AFTER.match(text, end)
    if after and not word:
        return False  # opens a sentence and a name: "Đức Hải nói ..."
    following = _VI_WORD_AFTER.match(text, end)
    if following and following["w"].lower() in _VI_COMPOUNDS.get(text[start:end], ()):
        return False  # a word of its own: "Mỹ thuật" (fine arts), "Pháp luật" (the law), "Anh hùng" (a hero)
    return True


# a word with Vietnamese marks right after a match: the text is Vietnamese, where a name is written with its own
# marks ("Bộ Lao động", the Ministry of Labour, is not "Lào")
_VIETNAMESE_WORD_AFTER = re.compile(r"[ \t]+[^\W\d_]*[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                                    re.IGNORECASE)


_KOREAN_VERB_ENDING = re.compile(r"됐|되[어었는고기지면며]|된|될|했|한다|하는|하여|하기|하고\s*있|해[서야]|할\s|함|합니")
"""Endings after a Korean noun that make it a verb (인도하다 "to deliver", 인도됐다 "was delivered")."""


def _key(text: str) -> str:
    """Lookup key: folded, case-folded, separators collapsed."""
    return _SEP_RE.sub(" ", fold(unicodedata.normalize("NFC", text))).strip().casefold()


def _is_acronym(alias: str) -> bool:
    """One short word with at least two capitals (or all capitals/digits): matched case-sensitively."""
    if len(alias) > 6 or not alias or any(c.isspace() for c in alias):
        return False
    if not all(c.isalnum() or c in "&.+-" for c in alias):
        return False
    uppers = sum(1 for c in alias if c.isupper())
    lowers = sum(1 for c in alias if c.islower())
    return uppers >= 2 or (uppers >= 1 and lowers == 0)


# Common English words: an acronym alias spelling one of these (MOST, US, VAST...) is ignored in ALL-CAPS text.
_COMMON_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours new vast may can sev nic cj kai
    us it un eu""".split()
)

# --------------------------------------------------------------------------------------------------------------
# Trie regex
# --------------------------------------------------------------------------------------------------------------

_SEP_TOKEN = "\x00"  # stands for "one or more spaces/hyphens" inside the trie


def _char_pattern(ch: str, case_sensitive: bool) -> str:
    if ch == _SEP_TOKEN:
        return r"[\s\-]+"
    if not case_sensitive:
        lo, up = ch.lower(), ch.upper()
        if lo != up and len(lo) == 1 and len(up) == 1:
            return "[" + re.escape(lo) + re.escape(up) + "]"
    return re.escape(ch)


def _trie_regex(entries: list[tuple[str, bool]]) -> str:
    """Regex matching any of ``entries`` (folded alias, case_sensitive); longer continuations are tried first.

    Nodes are keyed by lower-case character so that an acronym and a longer case-insensitive alias sharing a
    prefix ("LG" and "LG AI Research") live on one path; a node is matched exactly only if every alias through
    it is case-sensitive with the same spelling. The caller re-checks the case of acronyms."""
    trie: dict = {}
    for text, cs in entries:
        node = trie
        for ch in text:
            key = ch.lower() if len(ch.lower()) == 1 else ch
            child = node.get(key)
            if child is None:
                child = node[key] = {"": None, "spellings": set(), "ci": False}
            child["spellings"].add(ch)
            child["ci"] = child["ci"] or not cs
            node = child
        node[""] = True

    def build(node: dict) -> str:
        terminal = node.get("") is True
        branches = []
        for key, child in node.items():
            if key in ("", "spellings", "ci"):
                continue
            if key == _SEP_TOKEN:
                unit = _char_pattern(key, True)
            elif child["ci"] or len(child["spellings"]) > 1:
                unit = _char_pattern(key, False)
            else:
                unit = re.escape(next(iter(child["spellings"])))
            branches.append(unit + build(child))
        if not branches:
            return ""
        if len(branches) == 1 and not terminal:
            return branches[0]
        alt = "(?:" + "|".join(branches) + ")"
        return alt + "?" if terminal else alt

    return build(trie)


_URL_GATES = WordGates()  # a text holding none of "http", "www.", "@", ".com"... is not scanned for addresses
_URL_RE = _URL_GATES.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:vn|com|kr|net|org|gov|edu)\b(?:/\S*)?",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------------------------
# Pattern-based names
# --------------------------------------------------------------------------------------------------------------

def _letter_class(pred) -> str:
    chars = [chr(cp) for cp in list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00)) if pred(chr(cp))]
    return "".join(re.escape(c) for c in chars)


_UP = _letter_class(str.isupper)
_CAP_WORD = rf"[{_UP}](?:[^\W\d_]|[&])*(?:-[^\W_]+)*"  # Capitalised word, hyphen parts allowed ("Sang-woo")
_ANY_WORD = r"[^\W_][\w&]*(?:[.\-][\w&]+)*\.?"
_TOKEN_RE = re.compile(rf"{_ANY_WORD}|,|[^\s\w]")

_TITLES = [
    "Deputy Prime Minister", "Prime Minister", "Deputy Minister", "Vice Minister", "Minister",
    "Vice President", "President", "Deputy Ambassador", "Ambassador", "Consul General", "Consul-General",
    "Vice Chairman", "Vice Chairwoman", "Chairman", "Chairwoman", "Chairperson", "CEO", "Chief Executive",
    "Director General", "Director-General", "Deputy Director", "Director", "Party General Secretary",
    "General Secretary", "Secretary-General", "Secretary General", "Secretary", "Governor", "Vice Governor",
    "Mayor", "Speaker", "Senator", "Commander", "Professor", "Prof.", "Dr.", "Mr.", "Ms.", "Mrs.", "Mr", "Ms", "Mrs",
    "Dr", "Head", "Chief", "Vice Chair", "Chair",
] + [
    f"{prefix}{dept} {post}"
    for prefix in ("", "Vice ", "Deputy ", "First Vice ")
    for dept in ("Foreign", "Defence", "Defense", "Trade", "Industry", "Finance", "Science", "Health", "Education",
                 "Transport", "Labour", "Labor", "Culture", "Environment", "Energy", "Economy", "Unification",
                 "Construction", "Agriculture", "Interior", "Justice", "Land", "Security")
    for post in ("Minister", "Secretary")
]
def _title_regex() -> re.Pattern:
    groups: dict[str, list[str]] = {}
    for t in sorted(set(_TITLES), key=len, reverse=True):
        groups.setdefault(t[0], []).append(re.escape(t).replace(r"\ ", r"\s+"))
    body = "|".join(f"(?={first})(?:{'|'.join(alts)})" for first, alts in groups.items())
    return re.compile(
        r"(?<![\w.])(?=[A-Zaf])(?:(?:Former|former|Acting|acting|First|Senior|Permanent|Standing)\s+)?(?:"
        + body + r")(?![\w-])"
    )


_TITLE_RE = _title_regex()

# Words that do not belong to a person's name (they belong to the portfolio or the organisation).
_NON_NAME_WORDS = frozenset(
    """of for to and the on in at with from by a an
    ministry minister department agency institute university college school academy association chamber commerce
    council commission committee office bureau authority administration fund foundation center centre bank group
    corporation company corp co ltd inc jsc holdings industries industry federation union forum society board
    national state people's peoples public foreign affairs defence defense security science technology technologies
    information communications communication ict digital transformation innovation trade energy investment planning
    finance economy economic land infrastructure transport transportation construction education training labour
    labor employment welfare health culture sports tourism environment resources natural agriculture rural food
    fisheries oceans maritime justice interior home unification gender equality family smes startups
    development cooperation relations promotion research studies policy strategy affairs government party
    general deputy vice secretary director chairman chairwoman president prime ambassador embassy consulate
    city province district republic kingdom
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    said says told stated noted added emphasized emphasised urged called
    vietnam vietnamese korea korean south north asia asian""".split()
)

_LEADING_JUNK = frozenset(
    """the a an this that these those its their our his her in on at for with by from and but or as both
    during after before while when since under according meanwhile also however yesterday today
    last next new such many some several all any each every other leading major""".split()
)

_VN_SURNAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong luong mai ta trinh lam
    doan cao chu kieu quach thai ha lu nong phung tong to van dao giang la trieu khuat""".split()
)
_KR_SURNAMES = frozenset(
    """kim lee yi rhee park pak bak choi choe jung jeong chung chong kang cho jo yoon yun jang chang lim im han oh
    seo suh shin sin kwon hwang ahn an song yoo yu ryu hong jeon chun ko koh go moon mun yang son sohn bae
    baek paek heo hur nam noh roh ha kwak sung seong cha joo ju woo min na jin ji eom chae won cheon bang gong
    hyun ham byun byeon yeom yeo choo chu seok sun seol ma gil wi pyo myung ki ban ra wang geum ok yuk maeng je
    mo tak kook""".split()
)

COMPANY_WORDS_FILE = "company_names.toml"


@functools.lru_cache(maxsize=4)
def company_suffix_pattern(path: str | None = None) -> re.Pattern:
    """The words that end a company's name (``resources/company_names.toml``: legal forms and trade nouns), as
    one pattern matching where such a word starts after a space."""
    from .paths import read_resource_toml

    _name, data = read_resource_toml(path, COMPANY_WORDS_FILE, "the words that end company names")
    words = [w for key in ("legal_forms", "business_words") for w in data.get(key, ())]
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"{COMPANY_WORDS_FILE}: 'legal_forms' and 'business_words' must be lists of words")
    alternatives = [r"\s+".join(re.escape(part) for part in w.split()) for w in sorted(set(words), key=len, reverse=True)]
    return re.compile(r"(?<=\s)(?:" + "|".join(alternatives) + r")(?![\w&])")


_COMPANY_PREFIX_RE = re.compile(r"(?<![\w&'’.,])((?:(?:[A-Z][\w&.-]*|[A-Z0-9&]{2,}) ){1,4})$")

_GOV_HEADS = frozenset("ministry agency administration department authority commission committee office bureau".split())
_ORG_HEADS = frozenset(
    "institute university college academy association chamber federation foundation council fund society".split()
)


def _cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


@dataclass
class _Tok:
    text: str
    start: int
    end: int


def _tokens(text: str, pos: int, limit: int = 18) -> list[_Tok]:
    """Up to ``limit`` tokens from ``pos``, stopping at a sentence boundary or line break."""
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text, pos):
        gap = text[out[-1].end if out else pos: m.start()]
        if "\n" in gap or (out and gap.strip()):
            break
        word = m.group()
        end = m.end()
        bare = _strip_possessive(word.rstrip("."))
        if word not in {",", "&"} and not bare[:1].isalnum():
            break
        possessive = bare != word.rstrip(".")
        if word.endswith(".") and word not in ("Co.", "Corp.", "Inc.", "Ltd.", "Jr.", "St.") and len(word) > 2:
            end -= 1  # sentence full stop, not part of the word
            word = word[:-1]
        if possessive:
            word = bare
            end = m.start() + len(bare)
        out.append(_Tok(word, m.start(), end))
        if possessive or len(out) >= limit or m.end() != end and text[end:m.end()] == ".":
            break
    return out


# --------------------------------------------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------------------------------------------

_LOOKUPS_KEPT = 4096  # names whose lookup a gazetteer remembers (a document asks for its two sides many times)


# how far before a shared name a country may stand and own it ("Taiwan's foreign ministry", "the Japanese ministry")
_OWNER_REACH = 16
_CUE_REACH = 600  # characters: a country named further from a shared name than this does not own it
_BETWEEN_OWNER_AND_NAME = re.compile(r"[.,;:!?()]")  # an owner is in the same phrase as the name it owns


class Gazetteer:
    """Curated entities and the matcher built from them."""

    def __init__(self, entities: list[Entity], demonyms: dict[str, tuple[str, ...]] | None = None,
                 source: str = "<memory>") -> None:
        self.entities: list[Entity] = list(entities)
        self.source = source
        self._demonyms = demonyms or {}
        self._by_key: dict[str, list[Entity]] = {}
        self._acronyms: dict[str, list[Entity]] = {}  # exact folded spelling -> entities
        self._looked_up: dict[str, Entity | None] = {}  # name -> what lookup gave (the tables never change)
        entries: list[tuple[str, bool]] = []
        for entity in self.entities:
            for alias in (entity.name, *entity.aliases):
                alias_n = unicodedata.normalize("NFC", alias).strip()
                if not alias_n:
                    continue
                folded = _SEP_RE.sub(" ", fold(alias_n)).strip()
                if _is_acronym(folded):
                    bucket = self._acronyms.setdefault(folded, [])
                    cs = True
                else:
                    bucket = self._by_key.setdefault(folded.casefold(), [])
                    cs = False
                if entity not in bucket:
                    self._check_clash(bucket, entity, alias_n)
                    bucket.append(entity)
                entries.append((folded.replace(" ", _SEP_TOKEN), cs))
                self._by_key.setdefault(_key(alias_n), [])
                if entity not in self._by_key[_key(alias_n)]:
                    self._by_key[_key(alias_n)].append(entity)
        body = _trie_regex(sorted(set(entries)))
        # Left: not inside a word. Right: not followed by a word character, except Korean particles after Hangul.
        self._regex = re.compile(r"(?<![\w&])(?:" + body + r")(?:(?![\w&])|(?<=[\uac00-\ud7a3]))") if entries else None
        cues = {}
        for entity in self.entities:
            if entity.type == "country" and entity.country:
                for word in self._demonyms.get(entity.name, ()):
                    cues[fold(word)] = entity.country
        self._demonym_cues = cues
        self._demonym_gates = WordGates()  # a clause is scanned for demonyms only when it holds one
        self._demonym_re = (
            self._demonym_gates.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(cues, key=len, reverse=True)) + r")(?!\w)")
            if cues else None
        )

    def _check_clash(self, bucket: list[Entity], entity: Entity, alias: str) -> None:
        for other in bucket:
            if other.country == entity.country:
                raise ValueError(
                    f"{self.source}: alias {alias!r} is used by both {other.name!r} and {entity.name!r} "
                    f"of the same country; make it unique"
                )

    # ---------------------------------------------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        """Read a gazetteer TOML file (default: ``resources/gazetteer.toml``); ValueError names the file on error."""
        from .paths import read_resource_toml

        name, data = read_resource_toml(path, "gazetteer.toml", "gazetteer")
        items = data.get("entity")
        if not isinstance(items, list) or not items:
            raise ValueError(f"{name}: no [[entity]] entries found")
        entities: list[Entity] = []
        demonyms: dict[str, tuple[str, ...]] = {}
        seen: set[str] = set()
        for i, item in enumerate(items, 1):
            where = f"{name}: entity #{i}"
            if not isinstance(item, dict):
                raise ValueError(f"{where}: must be a table")
            ename = item.get("name")
            if not isinstance(ename, str) or not ename.strip():
                raise ValueError(f"{where}: missing or empty 'name'")
            where = f"{name}: entity {ename!r}"
            etype = item.get("type")
            if etype not in ENTITY_TYPES:
                raise ValueError(f"{where}: 'type' must be one of {', '.join(ENTITY_TYPES)} (got {etype!r})")
            country = item.get("country")
            if country is not None and (not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country)):
                raise ValueError(f"{where}: 'country' must be an ISO 3166 alpha-2 code such as \"VN\" (got {country!r})")
            aliases = item.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ValueError(f"{where}: 'aliases' must be a list of strings")
            role = item.get("role")
            if role is not None and not isinstance(role, str):
                raise ValueError(f"{where}: 'role' must be a string")
            dem = item.get("demonyms", [])
            if not isinstance(dem, list) or not all(isinstance(a, str) for a in dem):
                raise ValueError(f"{where}: 'demonyms' must be a list of strings")
            unknown = set(item) - {"name", "type", "country", "aliases", "role", "demonyms"}
            if unknown:
                raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
            if ename in seen:
                raise ValueError(f"{where}: duplicate entity name")
            seen.add(ename)
            aliases_t = tuple(dict.fromkeys(a.strip() for a in aliases if a.strip() and a.strip() != ename))
            entities.append(Entity(ename.strip(), etype, country, aliases_t, role))
            if dem:
                demonyms[ename.strip()] = tuple(dem)
        return cls(entities, demonyms, source=name)

    # ---------------------------------------------------------------------------------------------------- lookup
    def lookup(self, name: str) -> Entity | None:
        """The entity whose canonical name or alias is ``name`` (accents, case and hyphens ignored)."""
        if not name:
            return None
        if name in self._looked_up:
            return self._looked_up[name]
        if len(self._looked_up) >= _LOOKUPS_KEPT:
            self._looked_up.clear()
        found = self._looked_up[name] = self._lookup(name)
        return found

    def _lookup(self, name: str) -> Entity | None:
        exact = self._acronyms.get(_SEP_RE.sub(" ", fold(unicodedata.normalize("NFC", name))).strip())
        if exact:
            return exact[0]
        found = self._by_key.get(_key(name))
        return found[0] if found else None

    def country_name(self, code: str | None) -> str | None:
        """The canonical name of the country with this ISO code ("VN" -> "Vietnam")."""
        if not code:
            return None
        if not hasattr(self, "_country_names"):
            self._country_names = {e.country: e.name for e in self.entities if e.type == "country" and e.country}
        return self._country_names.get(code)

    def may_hold_demonyms(self, text: str) -> bool:
        """False when no part of ``text`` can hold a demonym (the text holds none of their words): each part of
        it then gives no :meth:`demonym_countries`, which a document's clauses need not ask."""
        if self._demonym_re is None or not text:
            return False
        return self._demonym_re.may_match(self._demonym_gates.open_in(fold(text)))

    def demonym_countries(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, ISO code) of each demonym in ``text`` ("Japanese" -> JP); offsets into ``text``."""
        if self._demonym_re is None or not text:
            return []
        folded = fold(text)
        if len(folded) != len(text):
            return []
        # accents count here: the English "Thai" is not the Vietnamese "Thái" of "Thái Bình Dương" (the Pacific)
        return [(m.start(), m.end(), self._demonym_cues[m.group(0)])
                for m in self._demonym_re.finditer(self._demonym_gates.open_in(folded))
                if text[m.start():m.end()].isascii() or not m.group(0).isascii()]

    # ---------------------------------------------------------------------------------------------------- find
    def find(self, text: str) -> list[EntityMention]:
        """All entity mentions in ``text``: sorted, non-overlapping, offsets into ``text`` itself."""
        if not text:
            return []
        known = self._find_known(text)
        found = self._find_patterns(text, known)
        if not found:
            return known
        merged = sorted(known + found, key=lambda m: m.start)
        return merged

    def _find_known(self, text: str) -> list[EntityMention]:
        if self._regex is None:
            return []
        folded, offmap = _fold_with_map(text)
        raw: list[tuple[int, int, list[Entity]]] = []
        urls = [(u.start(), u.end()) for u in _URL_RE.finditer(_URL_GATES.open_in(folded))]
        url_starts = [a for a, _ in urls]
        regex = self._regex
        for m in regex.finditer(folded):
            s, e = m.span()
            if urls and (i := bisect.bisect_right(url_starts, s) - 1) >= 0 and s < urls[i][1]:
                continue  # inside a URL (the URLs are sorted and do not overlap)
            cands = self._candidates(folded, s, e)
            while cands is None:  # case mismatch on the longest alias: try shorter ones at the same start
                m2 = regex.match(folded, s, e - 1) if e - 1 > s else None
                if m2 is None or m2.end() <= s:
                    break
                e = m2.end()
                cands = self._candidates(folded, s, e)
            if cands:
                raw.append((s, e, cands))
        if not raw:
            return []
        out: list[EntityMention] = []
        ambiguous = any(len(c) > 1 for _, _, c in raw)
        cues = self._country_cues(folded, raw) if ambiguous else []
        n = len(text)
        for s, e, cands in raw:
            entity = cands[0] if len(cands) == 1 else self._resolve(cands, s, e, cues, folded)
            if entity is None:
                continue  # "Taiwan's foreign ministry": a body of none of the countries the name is known for
            if entity.type == "government" and entity.country and self._owned_by_another(entity, s, folded):
                continue  # "the Cambodian finance ministry" is not Korea's, whose name this is too
            if offmap is not None:
                start = offmap[s]
                end = offmap[e - 1] + 1
                while end < n and unicodedata.combining(text[end]):
                    end += 1
            else:
                start, end = s, e
            surface = text[start:end]
            if surface in _VI_ONE_SYLLABLE_COUNTRIES and not _vietnamese_country_word(text, start, end):
                continue  # "Lâm Đức Hải" is a man, "tiếng Anh" a language, not Germany or Britain
            # a name written with marks, or one or two plain letters that may be a folded name's ('y' is no 'Ý')
            if (not surface.isascii() or len(surface) <= 2 or surface.islower() and " " not in surface
                    or _VIETNAMESE_WORD_AFTER.match(text, end)) \
                    and not self._surface_fits(surface, entity, text, end):
                continue
            out.append(EntityMention(start, end, surface, entity, True))
        return out

    def _surface_fits(self, surface: str, entity: Entity, text: str, end: int) -> bool:
        """Whether a name matched with accents and separators folded is the name as written:

        * Vietnamese tone marks tell words apart: "Bí thư" (secretary) is not "Bỉ" (Belgium), "y tế" (health) is
          not "Ý" (Italy). When every spelling of the entity that folds to the matched text carries its own marks,
          the text must carry the same.
        * A Korean noun followed by the endings of 하다/되다 is a verb, not a name: "인도됐다" (was delivered),
          not 인도 (India).
        * A name is written with its capital: a word in lower case is not a name all of whose spellings have one
          ("lao động", labour, is not "Lào", Laos).
        """
        if "\uac00" <= surface[-1] <= "\ud7a3" and _KOREAN_VERB_ENDING.match(text, end):
            return False
        key = _key(surface)
        spellings = [unicodedata.normalize("NFC", a).strip() for a in (entity.name, *entity.aliases)]
        spellings = [a for a in spellings if _key(a) == key]
        if surface.islower() and " " not in surface and spellings and all(a[:1].isupper() for a in spellings):
            return False  # a name is written with its capital: "lao động" (labour) is not "Lào" (Laos)
        if not spellings or any(a.isascii() for a in spellings):
            return True  # a plain spelling may be written with accents ("Sao Paulo" as "São Paulo")
        written = _SEP_RE.sub(" ", unicodedata.normalize("NFC", surface)).casefold()
        return any(_SEP_RE.sub(" ", a).casefold() == written for a in spellings)

    def _candidates(self, folded: str, s: int, e: int) -> list[Entity] | None:
        matched = _SEP_RE.sub(" ", folded[s:e])
        cands = self._acronyms.get(matched)
        if cands:
            if matched.casefold() in _COMMON_WORDS and _shouting(folded, s, e):
                return None
            return cands
        return self._by_key.get(matched.casefold())

    def _country_cues(self, folded: str, raw) -> list[tuple[int, str]]:
        cues = [(s, c[0].country) for s, _, c in raw if len(c) == 1 and c[0].type == "country" and c[0].country]
        if self._demonym_re is not None:
            cues += [(m.start(), self._demonym_cues[m.group()])
                     for m in self._demonym_re.finditer(self._demonym_gates.open_in(folded))]
        return cues

    def _owned_by_another(self, entity: Entity, start: int, folded: str) -> bool:
        """A country other than the body's named right before its name, in the same phrase ("the Cambodian finance
        ministry", "Japan's foreign ministry")."""
        window = folded[max(0, start - _OWNER_REACH):start]
        breaks = [m.end() for m in _BETWEEN_OWNER_AND_NAME.finditer(window)]
        if breaks:
            window = window[breaks[-1]:]  # only the phrase the name is in
        codes = set()
        if self._demonym_re is not None:
            codes |= {self._demonym_cues[m.group()] for m in self._demonym_re.finditer(self._demonym_gates.open_in(window))}
        for m in re.finditer(r"[\w.-]+(?=(?:'s|’s)?\s)", window):
            hit = self.lookup(m.group())
            if hit is not None and hit.type == "country" and hit.country:
                codes.add(hit.country)
        return bool(codes) and entity.country not in codes

    @staticmethod
    def _resolve(cands: list[Entity], start: int, end: int, cues: list[tuple[int, str]], text: str = "") -> Entity | None:
        """The entity a name shared by several ("Foreign Ministry", "MOFA") stands for: the one of the country
        named nearest, before it counting double; None when the text names none of their countries near it
        (:data:`_CUE_REACH`), or names another right before it ("Taiwan's foreign ministry", "the Japanese foreign
        ministry")."""
        best, best_d = None, None
        codes = {c.country: c for c in cands}
        for pos, code in cues:
            if code not in codes:
                if 0 <= start - pos <= _OWNER_REACH and not _BETWEEN_OWNER_AND_NAME.search(text, pos, start):
                    return None
                continue
            d = start - pos if pos < start else 2 * (pos - end) + 1  # cues before the name count double
            if d >= 0 and d <= _CUE_REACH and (best_d is None or d < best_d):
                best, best_d = codes[code], d
        return best

    # ------------------------------------------------------------------------------------------------ patterns
    def _find_patterns(self, text: str, known: list[EntityMention]) -> list[EntityMention]:
        """Names found by pattern. May remove place/country mentions from ``known`` that turn out to be part of a
        longer body or company name ("Ho Chi Minh City University of Technology")."""
        # the spans taken so far, sorted by start: the ones that can overlap [s, e) start after s - longest
        taken = sorted((m.start, m.end, k) for k, m in enumerate(known))
        starts = [a for a, _, _ in taken]
        longest = max((b - a for a, b, _ in taken), default=0)
        found: list[EntityMention] = []
        swallowed: set[int] = set()

        def free(s: int, e: int, may_swallow: bool) -> bool:
            inner = []
            lo, hi = bisect.bisect_left(starts, s - longest), bisect.bisect_left(starts, e)
            for a, b, k in taken[lo:hi]:
                if e <= a or s >= b:
                    continue
                if may_swallow and k < len(known) and s <= a and b <= e and known[k].entity.type in ("place", "country") \
                        and (a, b) != (s, e):
                    inner.append(k)
                    continue
                return False
            swallowed.update(inner)
            return True

        def add(s: int, e: int, etype: str, role: str | None = None, country: str | None = None) -> None:
            nonlocal longest
            name = text[s:e]
            if len(name) < 3 or not free(s, e, etype != "person"):
                return
            entity = self.lookup(name)
            if entity is not None:
                found.append(EntityMention(s, e, name, entity, True))
            else:
                entity = Entity(" ".join(name.split()), etype, country, (), role)
                found.append(EntityMention(s, e, name, entity, False))
            i = bisect.bisect_left(starts, s)
            starts.insert(i, s)
            taken.insert(i, (s, e, len(known) + len(found)))  # a found name is never swallowed
            longest = max(longest, e - s)

        known_starts = {m.start for m in known}
        for m in _TITLE_RE.finditer(text):
            nxt = m.end() + 1
            if nxt in known_starts and text[m.end()] == " ":
                continue  # "Deputy Minister Hoang Minh": the gazetteer already has the name
            res = self._person_after_title(text, m)
            if res:
                add(*res, country=self._country_before(text, m.start()))
        for s, e, etype in self._bodies(text):
            add(s, e, etype)
        for m in find_all(company_suffix_pattern(), text):
            res = self._company(text, m)
            if res:
                add(*res, "company")
        for m in _VI_COMPANY_RE.finditer(text):  # "Công ty Alpwerk Hydro của Áo", "Tập đoàn Metsälinna"
            add(m.start("name"), m.end("name"), "company")
        if _HANGUL.search(text):
            for rx in (_KO_COMPANY_AFTER_KIND, _KO_COMPANY_BY_TRADE):  # "생산업체 살라르베르데와", "세온머티리얼즈는"
                for m in rx.finditer(text):
                    add(m.start("name"), m.end("name"), "company")
        if swallowed:
            known[:] = [m for k, m in enumerate(known) if k not in swallowed]
        return found

    def _country_before(self, text: str, pos: int) -> str | None:
        """Country of a "Vietnamese"/"Korea's"/"South Korean" word right before a title, if any."""
        window = fold(text[max(0, pos - 30):pos])
        m = re.search(r"([\w.-]+(?:\s+[\w.-]+)?)(?:'s)?\s+$", window)
        if not m:
            return None
        for cand in (m.group(1), m.group(1).split()[-1]):
            code = self._demonym_cues.get(cand)
            if code:
                return code
            ent = self.lookup(cand)
            if ent is not None and ent.type == "country":
                return ent.country
        return None

    def _is_name_token(self, word: str) -> bool:
        if not word or not word[0].isupper() or (len(word) > 1 and word.casefold() in _NON_NAME_WORDS):
            return False
        if len(word) > 1 and word.isupper():  # acronyms are not personal names
            return False
        base = word.split("-")[0]
        if not all(c.isalpha() for c in base) or any(not part.isalpha() for part in word.split("-")):
            return False
        hit = self.lookup(word)
        return hit is None or hit.type == "person"

    def _person_after_title(self, text: str, m: re.Match) -> tuple[int, int, str, str] | None:
        toks = _tokens(text, m.end())
        if not toks:
            return None
        title = " ".join(m.group().split())
        i = 0
        org: list[_Tok] = []
        if toks[0].text in ("of", "for", "to"):
            # Portfolio or posting: "Minister of Land, Infrastructure and Transport", "Ambassador to Vietnam".
            j = 1
            while j < len(toks):
                w = toks[j].text
                if w in ("and", "&", "of", "for", "the", "on", "in", ",") or _cap(w):
                    j += 1
                    continue
                break
            run = toks[1:j]
            while run and run[-1].text in (",", "and", "&", "of", "for", "the", "on", "in"):
                run = run[:-1]
            name = self._split_name(run)
            if name is None:
                return None
            org, person = name
            if not org:
                return None
            s, e = person[0].start, person[-1].end
            role = title + " " + toks[0].text + " " + text[org[0].start: org[-1].end].rstrip(", ")
            return s, e, "person", role
        if toks[0].text == ",":
            return None
        person = []
        while i < len(toks) and len(person) < 5 and self._is_name_token(toks[i].text):
            person.append(toks[i])
            if toks[i].end != (toks[i + 1].start - 1 if i + 1 < len(toks) else -1) and i + 1 < len(toks):
                if text[toks[i].end: toks[i + 1].start] != " ":
                    break
            i += 1
        if not 2 <= len(person) <= 4:
            return None
        if i < len(toks) and _cap(toks[i].text) and toks[i].text.isalpha() and toks[i].text.casefold() not in _NON_NAME_WORDS:
            return None  # more capitalised words follow: a headline or an organisation, not a name
        return person[0].start, person[-1].end, "person", title

    def _split_name(self, run: list[_Tok]) -> tuple[list[_Tok], list[_Tok]] | None:
        """Split "Land , Infrastructure and Transport Park Sang-woo" into portfolio and personal name."""
        # Trim the run at the first point after which a name can no longer follow.
        candidates = []
        for i in range(1, len(run)):
            tail = run[i:]
            if not 2 <= len(tail) <= 4:
                continue
            if not all(self._is_name_token(t.text) for t in tail):
                continue
            if any(run[k + 1].start - run[k].end > 1 for k in range(i, len(run) - 1)):
                continue
            prev = run[i - 1].text
            if prev in ("and", "&", "of", "for", "the", "on", "in"):
                continue
            candidates.append(i)
        if not candidates:
            # The name may stop before the end of the run ("... Transport Park Sang-woo Thursday").
            return None
        surname_first = [
            i for i in candidates if run[i].text.casefold() in _VN_SURNAMES or run[i].text.casefold() in _KR_SURNAMES
        ]
        i = surname_first[0] if surname_first else candidates[0]
        org = run[:i]
        while org and org[-1].text in (",", "and", "&"):
            org = org[:-1]
        return org, run[i:]

    def _bodies(self, text: str):
        """Capitalised names of ministries, agencies, institutes, universities, chambers..."""
        last_end = 0
        for m in find_all(_BODY_HEAD_RE, text):
            head = m.group(1)
            hs, he = m.start(1), m.end(1)
            if hs < last_end:
                continue
            start = hs
            if head != "Ministry":  # "Vietnamese Ministry of X" -> "Ministry of X"; others keep their prefix
                for w, ws in _words_before(text, hs):
                    if ws < last_end or (w.endswith(("'s", "’s")) and w not in ("People's", "People’s")):
                        break
                    if (_cap(w) or w in ("and", "&", "of", "for")) and w.casefold() not in _LEADING_JUNK \
                            and not _TITLE_WORD_RE.fullmatch(w) and not _BODY_HEAD_RE.fullmatch(w):
                        start = ws
                        continue
                    break
                # Drop leading connectors and junk ("and Hanyang University" -> "Hanyang University").
                while start < hs:
                    first = text[start:hs].split(" ", 1)[0]
                    if first in ("of", "for", "and", "&") or first.casefold() in _LEADING_JUNK:
                        start += len(first) + 1
                        continue
                    break
            end = he
            rest = _TAIL_RE.match(text, he)
            if rest:
                tail = rest.group()
                # One "and" per name: "Ministry of Oceans and Fisheries and Hanyang University" splits after Fisheries.
                parts = re.split(r"\s+(?:and|&)\s+", tail)
                if len(parts) > 2:
                    tail = tail[: len(parts[0]) + tail[len(parts[0]):].find(parts[1]) + len(parts[1])]
                # Stop before a second body head ("... of Technology University").
                hm = _BODY_HEAD_RE.search(tail, 1)
                if hm:
                    tail = tail[: hm.start()].rstrip(" ,")
                    tail = re.sub(r"\s+(?:and|&|of|for|on|the|in)$", "", tail)
                end = he + len(tail.rstrip(" ,"))
                if re.match(r"\s+" + _BODY_HEAD_RE.pattern, text[end:]):
                    # "... University of Technology and the Korea Maritime Institute": the second name starts
                    # after the last "and" or comma.
                    cut = max(tail.rfind(" and "), tail.rfind(" & "), tail.rfind(","))
                    if cut <= 0:
                        continue
                    end = he + cut
            elif start == hs:
                continue  # a bare head word alone is not a name
            if head == "Chamber" and "Commerce" not in text[start:end]:
                continue
            if " " not in text[start:end]:
                continue
            last_end = end
            yield start, end, ("government" if head.casefold() in _GOV_HEADS else "organisation")

    def _company(self, text: str, m: re.Match) -> tuple[int, int] | None:
        """Capitalised words before a company suffix ("Shinsegae Group", "Hanoi Beer Co., Ltd")."""
        lo = max(0, m.start() - 80)
        pm = _COMPANY_PREFIX_RE.search(text, lo, m.start())
        if pm is None:
            return None
        words = [(w.group(), pm.start(1) + w.start()) for w in re.finditer(r"\S+", pm.group(1))]
        while words and (words[0][0].casefold() in _LEADING_JUNK | {"of", "for", "and", "to"}
                         or words[0][0].endswith(("-based", "-listed", "-owned", "-backed"))):
            words = words[1:]  # "U.S.-based Meridale Pharma": where it is based is not part of its name
        if not words or any(w.endswith((",", ".")) and w not in ("Co.", "Corp.") for w, _ in words):
            return None
        if all(w.casefold() in _COMMON_CAPS for w, _ in words):
            return None
        if len(words) == 1 and _sentence_start(text, words[0][1]) and words[0][0].casefold() in _COMMON_WORDS:
            return None
        end = m.end()
        while end < len(text) and text[end] == " " and (more := company_suffix_pattern().match(text, end + 1)):
            end = more.end()  # "Mekong Agri JSC", "Quillon Systems Inc.": a trade word, then the legal form
        return words[0][1], end


# a Vietnamese company told by its kind first: "Công ty CP Cấp nước Cửu Long Xanh", "Tập đoàn Metsälinna", "Tổng công ty
# Hàng hải"; the name runs to the first word that is not part of it ("của Áo", "và", "đã ký")
_VI_COMPANY_STOP = (r"của|và|với|đã|sẽ|vừa|đang|ký|là|được|có|cho|tại|ở|từ|trong|theo|để|về|này|cùng|nhằm|sang|đến|khi"
                    r"|thuộc|trị|giá|mới|hôm|ngày|tháng|năm|chiều|sáng|tối|cũng|thì|nhưng|do|bởi")
_VI_COMPANY_RE = re.compile(r"(?<![\w])(?:Công ty|Tập đoàn|Tổng công ty)\s+(?:(?:CP|TNHH|Cổ phần|cổ phần|MTV|Một thành viên)"
                            r"\s+)*(?P<name>(?-i:[A-ZÀ-Ỹ0-9Đ])[\w&.-]*(?:\s+(?!(?:" + _VI_COMPANY_STOP
                            + r")\b)[\w&.-]+){0,5})")


# Korean companies, written in Hangul without a legal form: told by their kind just before ("칠레 리튬 생산업체
# 살라르베르데와", "식품기업 서담푸드가"), or by a trade their name ends with ("세온머티리얼즈는", "한성귀금속과"). The name
# runs to the particle after it (은, 는, 이, 가, 와 ...), which is no part of it.
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KO_PARTICLE_AFTER = r"(?=(?:은|는|이|가|와|과|의|를|을|도|에|로|와의|과의|에서|측)?[\s,.(·)])"
_KO_COMPANY_AFTER_KIND = re.compile(r"(?:기업|업체|회사|제조사|생산업체|공급업체|개발업체|개발사|제련사|조선사|건설사|투자사|운용사|항공사"
                                    r"|통신사|운영사|선사|계열사|자회사|스타트업)\s+"
                                    r"(?P<name>[가-힣][가-힣A-Za-z0-9]{1,11}?)" + _KO_PARTICLE_AFTER)
_KO_COMPANY_BY_TRADE = re.compile(r"(?<![가-힣])(?!(?:해외|국내|민간|공공|글로벌|국가|지역|세계|주요|대형|중소|중견|첨단|친환경|신재생|전통|현지"
                                  r"|원전|방산|우리|양국|핵심|청정|재생|수소|해상|심해|북극|원자력|배터리|이차전지|전지|신소재|기초|산업|국립|해군|조선)[가-힣])"
                                  r"(?P<name>[가-힣]{2,8}?(?:머티리얼즈|케미칼|푸드|바이오|제약|해운|상사|홀딩스|워터텍|테크|중공업"
                                  r"|건설|물산|유업|비료|귀금속|전선|철강|스틸|모터스|엔지니어링|로지스틱스|에어로스페이스|정밀|정유|소재|광업|에너지|해양"
                                  r"|셀텍))"
                                  + _KO_PARTICLE_AFTER)
_BODY_HEAD_RE = re.compile(
    r"(?<![\w-])(Ministry|Agency|Administration|Department|Authority|Commission|Committee|Bureau|Institute|"
    r"University|College|Academy|Association|Chamber|Federation|Foundation|Council)(?![\w-])"
)
_CONNECT = r"(?:of|for|on|and|&|the|in)"
_TAIL_RE = re.compile(
    rf"(?:\s+(?:of|for|on)(?:\s+the)?\s+{_CAP_WORD}(?:(?:,\s+|\s+{_CONNECT}\s+(?:the\s+)?|\s+){_CAP_WORD})*)"
)
_TITLE_WORD_RE = re.compile(r"Minister|President|Director|Chairman|Chairwoman|Ambassador|Secretary|Mr|Ms|Mrs|Dr")
_WORD_BEFORE_RE = re.compile(r"([\w&'’.-]+)\s+$")

# Capitalised words that do not by themselves make a company name ("Working Group", "The Bank").
_COMMON_CAPS = frozenset(
    """working advisory expert study task friendship parliamentary business industry research action focus contact
    consultative interest media ethnic age target vulnerable central national state development investment
    commercial private public global international regional local foreign domestic joint consumer its their our
    the this that these those a an one two three leading major big small medium large korean vietnamese
    korea vietnam south north world asian asia european pacific chinese japanese american electronics telecom
    bank group motor motors industries holdings""".split()
)


def _words_before(text: str, pos: int, limit: int = 10):
    """(word, start) pairs walking left from ``pos`` over single spaces (no punctuation, no line breaks)."""
    out = []
    while len(out) < limit:
        seg = text[max(0, pos - 60):pos]
        m = _WORD_BEFORE_RE.search(seg)
        if not m or "\n" in m.group() or not seg.endswith(" ") or seg.endswith("  "):
            break
        w = m.group(1)
        if w.endswith((".", ",")) and w not in ("Co.",):
            break
        ws = pos - len(seg) + m.start(1)
        out.append((w, ws))
        pos = ws
    return out


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t")
    return not before or before[-1] in ".!?\n:;\"“”'’"


def _shouting(folded: str, start: int, end: int) -> bool:
    """True if the match sits in ALL-CAPS text (a headline), where "MOST" or "US" are ordinary words."""
    window = folded[max(0, start - 30):start] + folded[end:end + 30]
    letters = [c for c in window if c.isalpha()]
    return len(letters) >= 6 and not any(c.islower() for c in letters)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in ``resources/gazetteer.toml``, loaded once."""
    return Gazetteer.load()
