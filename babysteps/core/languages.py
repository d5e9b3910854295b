"""Languages parents use: the portal's own (its interface is translated into them) and the
names families give, mapped to language codes. Pure: no Django."""

# The parent portal's languages (a catalogue each), as Django language codes.
PORTAL_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en-gb", "English"),
    ("cy", "Cymraeg (Welsh)"),
    ("pl", "Polski (Polish)"),
    ("ur", "اردو (Urdu)"),
)

# Caption tracks: a code each (the track's ``srclang``), with the language's English name.
CAPTION_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("cy", "Welsh"),
    ("pl", "Polish"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("gu", "Gujarati"),
    ("pa", "Punjabi"),
    ("ar", "Arabic"),
    ("ro", "Romanian"),
    ("so", "Somali"),
)
# Every video should carry captions in the portal's languages.
EXPECTED_CAPTIONS = ("en", "cy", "pl", "ur")

_BY_NAME = {name.casefold(): code for code, name in CAPTION_LANGUAGES} | {
    "cymraeg": "cy",
    "polski": "pl",
    "اردو": "ur",
    "english (uk)": "en",
}


def code_for(name: str) -> str | None:
    """The code of a language named in words ("Welsh", "cymraeg", "Urdu"), else None."""
    return _BY_NAME.get(" ".join((name or "").split()).casefold())


def caption_name(code: str) -> str:
    return dict(CAPTION_LANGUAGES).get(code, code)


def portal_language_for(name: str) -> str:
    """The portal language for a language named in words (English when there is none)."""
    code = code_for(name)
    if code == "en":
        return "en-gb"
    return code if code in dict(PORTAL_LANGUAGES) else "en-gb"
