"""Story packs: the sides, lexicon, actors and notebook parameters of one story, as data.

A pack is a folder: ``story.toml`` (name, title, description, sources, ``[[sides]]`` with ``id``,
``label``, ``colour`` and optional ``form`` and ``gloss``, ``[parameters]``), ``markers.csv``
(the lexicon; ``side`` is one of the pack's side ids or the universal ``wire``, ``both``,
``none``), an optional ``actors.csv`` (``group`` is a side id or ``mediator``, ``other``) and an
optional ``LEXICON.md``. Built-in packs live in ``analysis/packs/``; ``general`` (story-independent
loaded language, no sides) always applies.

A seeds folder chooses its packs in ``workbook.toml`` (``stories = ["karabakh"]`` or a path
relative to that file) and may override any parameter under ``[parameters]``; a command's
``--story`` overrides the file. The chosen packs make the corpus's ``Story``; ``activate`` makes
it the one every stage of this process uses.
"""
from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.framing import lexicon as lexmod
from analysis.problems import InputError, Problem, warning

PACKS = config.PACKAGE / "packs"
GENERAL = "general"
WORKBOOK_FILE = "workbook.toml"
#: Sides every story has, whatever its own: loaded but wire usage, mirror terms, no side.
UNIVERSAL_SIDES = {"wire": "neutral wire usage", "both": "used by both sides", "none": "no side"}
#: Actor groups every story has besides its sides.
UNIVERSAL_GROUPS = {"mediator": "third parties mediating between the sides", "other": "other named parties"}
#: Parameters a pack may set, with their types and defaults.
PARAMETERS = {"kwic": (list, []), "dispersion": (list, []), "focus": (str, ""), "cues": (list, []),
              "kwic_concept": (str, ""), "suggest_sides": (list, [])}
#: A pack fits a corpus when its cues appear in at least this share of the texts (0–1).
MIN_CUE_SHARE = 0.2
_SIDE_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Side:
    """One side of a story: ``id`` (short code), ``label`` ("Russian official"), ``colour`` (hex),
    ``form`` (the naming scorecard's word for its names) and ``gloss`` (words that name the side
    in glosses such as "which Armenians call …")."""

    id: str
    label: str
    colour: str
    form: str
    gloss: tuple[str, ...] = ()


@dataclass
class Pack:
    """A validated story pack."""

    name: str
    title: str
    folder: Path
    description: str = ""
    sources: list[str] = field(default_factory=list)
    sides: list[Side] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)

    @property
    def markers_path(self) -> Path:
        return self.folder / "markers.csv"

    @property
    def actors_path(self) -> Path | None:
        path = self.folder / "actors.csv"
        return path if path.is_file() else None


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError([Problem(str(path), 0, "the file is missing", "create it (see the README's story packs)")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = _TOML_LINE_RE.search(str(exc))
        raise InputError([Problem(str(path), int(line.group(1)) if line else 0, f"not valid TOML ({exc})",
                                  "check the quotes and brackets on this line")]) from None


def _line_of(path: Path, key: str) -> int:
    """The first line of ``path`` that sets ``key`` (for problems in an already parsed file)."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"\s*{re.escape(key)}\s*=", line) or line.strip() == f"[{key}]":
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 0


def _parameters(path: Path, raw, problems: list[Problem]) -> dict:
    out = {}
    if not isinstance(raw, dict):
        problems.append(Problem(str(path), _line_of(path, "parameters"), "[parameters] must be a table", ""))
        return out
    for key, value in raw.items():
        if key not in PARAMETERS:
            problems.append(Problem(str(path), _line_of(path, key), f"unknown parameter {key!r}",
                                    f"use one of {', '.join(PARAMETERS)}"))
            continue
        kind = PARAMETERS[key][0]
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
            problems.append(Problem(str(path), _line_of(path, key), f"parameter {key!r} must be "
                                    + ("a list of strings" if kind is list else "a string"), ""))
            continue
        out[key] = value
    return out


def load_pack(name_or_path: str | Path, base: Path | None = None) -> Pack:
    """Load and validate one pack: a built-in name, or a folder (relative to ``base``)."""
    candidate = Path(name_or_path)
    if isinstance(name_or_path, str) and (PACKS / name_or_path / "story.toml").is_file():
        folder = PACKS / name_or_path
    else:
        folder = candidate if candidate.is_absolute() or base is None else base / candidate
    path = folder / "story.toml"
    if not path.is_file():
        known = sorted(p.name for p in PACKS.iterdir() if (p / "story.toml").is_file())
        raise InputError([Problem(str(path), 0, f"no story pack {str(name_or_path)!r}",
                                  f"give a built-in pack ({', '.join(known)}) or a folder with a story.toml")])
    data = _toml(path)
    problems: list[Problem] = []
    for key in ("name", "title"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(Problem(str(path), _line_of(path, key), f"'{key}' is missing or empty", f"add {key} = \"…\""))
    sides, seen = [], {}
    for number, raw in enumerate(data.get("sides", []), start=1):
        where = _line_of(path, "[sides]") or _line_of(path, "id")
        side_id, label, colour = raw.get("id", ""), raw.get("label", ""), raw.get("colour", "")
        if not _SIDE_ID_RE.match(str(side_id)) or side_id in UNIVERSAL_SIDES or side_id in UNIVERSAL_GROUPS:
            problems.append(Problem(str(path), where, f"side {number}: bad id {side_id!r}",
                                    "a short lower-case code such as 'ru', not wire, both, none, mediator or other"))
            continue
        if side_id in seen:
            problems.append(Problem(str(path), where, f"side id {side_id!r} is declared twice", "give each side its own id"))
            continue
        if not label or not _COLOUR_RE.match(str(colour)):
            problems.append(Problem(str(path), where, f"side {side_id!r} needs a label and a colour like \"#0072B2\"", ""))
            continue
        gloss = raw.get("gloss", [])
        seen[side_id] = True
        sides.append(Side(side_id, label, colour, raw.get("form", f"{label} form"), tuple(str(g).lower() for g in gloss)))
    parameters = _parameters(path, data.get("parameters", {}), problems)
    if problems:
        raise InputError(problems)
    sources = data.get("sources", [])
    return Pack(data["name"], data["title"], folder, data.get("description", ""),
                list(sources) if isinstance(sources, list) else [str(sources)], sides, parameters)


def workbook_settings(seeds: Path) -> tuple[list[str], dict, Path | None]:
    """``(stories, parameter overrides, folder of workbook.toml)`` of a seeds folder (none: ``[]``)."""
    path = seeds / WORKBOOK_FILE
    if not path.is_file():
        return [], {}, None
    data = _toml(path)
    problems: list[Problem] = []
    stories = data.get("stories", [])
    if not isinstance(stories, list) or not all(isinstance(s, str) for s in stories):
        problems.append(Problem(str(path), _line_of(path, "stories"), "'stories' must be a list of pack names or folders",
                                'e.g. stories = ["karabakh"]'))
    unknown = sorted(set(data) - {"stories", "parameters"})
    if unknown:
        problems.append(Problem(str(path), _line_of(path, unknown[0]), f"unknown key(s): {', '.join(unknown)}",
                                "use stories = [...] and a [parameters] table"))
    parameters = _parameters(path, data.get("parameters", {}), problems)
    if problems:
        raise InputError(problems)
    return stories, parameters, seeds


@dataclass
class Story:
    """The packs chosen for a corpus (``general`` first), their sides and merged parameters."""

    packs: list[Pack]
    parameters: dict
    user_lexicons: list[Path] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [pack.name for pack in self.packs]

    @property
    def applied(self) -> bool:
        """True when a story pack besides ``general`` applies."""
        return any(pack.name != GENERAL for pack in self.packs)

    @property
    def sides(self) -> list[Side]:
        return [side for pack in self.packs for side in pack.sides]

    @property
    def side_ids(self) -> tuple[str, ...]:
        return tuple(side.id for side in self.sides)

    def side(self, side_id: str) -> Side | None:
        return next((s for s in self.sides if s.id == side_id), None)

    def label(self, side_id: str) -> str:
        """The side's label ("Azerbaijani official"), or the universal side's description."""
        side = self.side(side_id)
        return side.label if side else UNIVERSAL_SIDES.get(side_id, UNIVERSAL_GROUPS.get(side_id, side_id))

    @property
    def groups(self) -> list[str]:
        """Actor groups, in order: the sides, then ``mediator`` and ``other``."""
        return list(self.side_ids) + list(UNIVERSAL_GROUPS)

    def parameter(self, name: str):
        return self.parameters.get(name, PARAMETERS[name][1])

    @functools.cached_property
    def lexicon(self) -> lexmod.Lexicon:
        """Every pack's ``markers.csv`` (and the user lexicons), validated against the story's sides."""
        files = [pack.markers_path for pack in self.packs]
        return lexmod.load_files(files, self.user_lexicons, sides=self.side_ids + tuple(UNIVERSAL_SIDES),
                                 names=self.names)

    @functools.cached_property
    def actors_files(self) -> list[Path]:
        return [pack.actors_path for pack in self.packs if pack.actors_path is not None]

    @property
    def sha256(self) -> str:
        """Hash of every file of the chosen packs and of the parameters (for the result cache)."""
        digest = hashlib.sha256(repr(sorted(self.parameters.items())).encode("utf-8"))
        for pack in self.packs:
            for path in sorted(p for p in pack.folder.rglob("*") if p.is_file()):
                digest.update(path.name.encode("utf-8") + path.read_bytes())
        for path in self.user_lexicons:
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def describe(self) -> str:
        """One line for tables, figures and summaries: which packs apply."""
        if not self.applied:
            return "no story pack applied: general loaded-language markers only, no sides"
        return "story pack(s): " + ", ".join(f"{p.name} ({p.title})" for p in self.packs if p.name != GENERAL)

    def fit(self, texts: list[tuple[str, str]]) -> list[Problem]:
        """Warnings for packs whose cues appear in fewer than MIN_CUE_SHARE of ``texts`` ((source, text))."""
        problems = []
        for pack in self.packs:
            cues = {c.lower() for c in pack.parameters.get("cues", [])}
            if not cues or not texts:
                continue
            hits = sum(1 for _, text in texts if cues & set(_WORD_RE.findall(text.lower())))
            if hits < MIN_CUE_SHARE * len(texts):
                problems.append(warning(str(pack.folder / "story.toml"), 0,
                                        f"the {pack.name} pack does not seem to fit this corpus: its cues appear in "
                                        f"{hits} of {len(texts)} texts",
                                        "choose another pack with --story or in workbook.toml"))
        return problems


def select(seeds: str | Path | None = None, stories: list[str] | None = None,
           lexicons: list[str | Path] | None = None) -> Story:
    """The story of a seeds folder: ``stories`` if given, else its ``workbook.toml``; ``general``
    always first. ``lexicons`` are extra marker files (same columns) merged in."""
    folder = config.seeds_dir(seeds)
    chosen, overrides, base = workbook_settings(folder) if folder.is_dir() else ([], {}, None)
    if stories:
        chosen, base = list(stories), Path.cwd()
    packs = [load_pack(GENERAL)]
    for name in chosen:
        pack = load_pack(name, base)
        if pack.name not in [p.name for p in packs]:
            packs.append(pack)
    clash = sorted({s.id for s in [side for p in packs for side in p.sides]
                    if [side.id for p in packs for side in p.sides].count(s.id) > 1})
    if clash:
        raise InputError([Problem(str(packs[-1].folder / "story.toml"), 0, f"side id(s) {', '.join(clash)} declared by two packs",
                                  "give each side of each pack its own id")])
    parameters = {}
    for pack in packs:
        parameters.update(pack.parameters)
    parameters.update(overrides)
    return Story(packs, parameters, [Path(p) for p in (lexicons or [])])


_ACTIVE: dict = {"key": None, "story": None}


def activate(seeds: str | Path | None = None, stories: list[str] | None = None,
             lexicons: list[str | Path] | None = None) -> Story:
    """Make the story of ``seeds`` (or ``stories``) the one this process uses; return it."""
    key = (str(config.seeds_dir(seeds)), tuple(stories or ()), tuple(str(p) for p in lexicons or ()))
    if _ACTIVE["key"] != key:
        _ACTIVE.update(key=key, story=select(seeds, stories, lexicons))
    return _ACTIVE["story"]


def active() -> Story:
    """The story in use (the shipped seeds folder's, unless ``activate`` chose another)."""
    return _ACTIVE["story"] if _ACTIVE["story"] is not None else activate()


def selection() -> tuple:
    """What ``activate`` was called with, to repeat it in a worker process."""
    active()
    seeds, stories, lexicons = _ACTIVE["key"]
    return seeds, list(stories), list(lexicons)


def active_seeds() -> Path:
    """The seeds folder whose story is active (its ``actors_user.csv`` joins the actor list)."""
    return Path(active_key()[0])


def active_key() -> tuple:
    """A hashable key of the active story's selection (for caches of things built from it)."""
    active()
    return _ACTIVE["key"]


def reset() -> None:
    """Forget the active story (the next ``active()`` reads the files again)."""
    _ACTIVE.update(key=None, story=None)


def side_table(story: Story) -> pd.DataFrame:
    """``id, label, colour, form``: the story's sides, for the methods appendix and legends."""
    return pd.DataFrame([{"id": s.id, "label": s.label, "colour": s.colour, "form": s.form} for s in story.sides],
                        columns=["id", "label", "colour", "form"])
