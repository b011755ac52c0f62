"""Seeded filler text per culture: names, sentences, paragraphs, rich text."""

from __future__ import annotations

import random
import uuid

LATIN_TEXT = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris "
    "nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse "
    "cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui "
    "officia deserunt mollit anim id est laborum praesent rutrum congue leo eget malesuada donec "
    "sollicitudin molestie vivamus suscipit tortor pellentesque nec egestas curabitur arcu erat "
    "accumsan vel blandit porttitor lacinia proin gravida nibh aliquet quam"
)
LATIN = LATIN_TEXT.split()

TITLE_TEXT = (
    "harbour garden summer winter journey market river forest mountain island coffee bread "
    "festival workshop guide review update launch season team story project partner course "
    "recipe trail bridge studio gallery library concert harvest voyage meadow lantern compass "
    "orchard beacon canyon delta ember falcon glacier horizon juniper kestrel lagoon maple "
    "nectar oasis pebble quartz raven saffron timber umber velvet willow yonder zephyr"
)
TITLE_WORDS = TITLE_TEXT.split()

# A few native words per culture so every language carries its own characters.
NATIVE = {
    "da": "hjem nyheder kære smørrebrød æble øl gå rød grøn hus vej",
    "de": "Straße Grüße über schön Mädchen Brücke König Bäckerei Frühling",
    "fr": "été très château garçon où forêt crème déjà fenêtre",
    "nl": "nieuws ijs één fiets gezellig molen kaas straat",
    "sv": "hälsning åka öga sjö skärgård fika ängel",
    "es": "niño años canción mañana corazón señal",
    "it": "città perché caffè però libertà",
    "nb": "hjem blåbær søndag fjell fjord kjære",
}


class Text:
    """Deterministic filler text from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def key(self) -> str:
        """A random-looking lower-case GUID, reproducible from the seed."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def words(self, count: int, culture: str = "en-us") -> list[str]:
        native = NATIVE.get(culture.split("-")[0], "").split()
        pool = LATIN + native * 3 if native else LATIN
        return [self.rng.choice(pool) for _ in range(count)]

    def title(self, low: int = 2, high: int = 4) -> str:
        """A node name in the default language: capitalised title words."""
        count = self.rng.randint(low, high)
        return " ".join(w.capitalize() for w in self.rng.sample(TITLE_WORDS, count))

    def sentence(self, culture: str, low: int = 6, high: int = 16) -> str:
        words = self.words(self.rng.randint(low, high), culture)
        return " ".join(words).capitalize() + "."

    def paragraph(self, culture: str, sentences: int = 4) -> str:
        return " ".join(self.sentence(culture) for _ in range(self.rng.randint(2, sentences)))

    def rich_text(self, culture: str, paragraphs: int = 4) -> str:
        """HTML as Umbraco's rich text editor stores it."""
        parts = []
        for index in range(self.rng.randint(1, paragraphs)):
            body = self.paragraph(culture)
            if index == 0:
                parts.append(f"<h2>{self.sentence(culture, 3, 6)[:-1]}</h2>")
            if self.rng.random() < 0.3:
                body += f' <a href="/{"-".join(self.words(2))}/">{self.words(1)[0]}</a>'
            parts.append(f"<p>{body}</p>")
        return "\n".join(parts)

    def slug(self, name: str) -> str:
        return "-".join(name.lower().split())
