"""The simulator's tokenizer (documented in docs/protocol.md).

A token is one of:
  * a newline (\\n);
  * a whole emoji sequence (flag pairs, keycaps, modifiers, ZWJ joins,
    variation selectors and tag characters included);
  * a single CJK character (Han, kana, Hangul, full-width forms);
  * a run of letters/digits (not CJK, not '_'), with its one leading space;
  * a run of other whitespace (a final plain space that leads a word belongs
    to the word instead);
  * any other single character (punctuation, symbols, controls).

Cutting a token list anywhere and re-tokenizing the joined prefix gives the
same prefix, so `max_tokens` truncation keeps usage exact.
"""

import re

_CJK = ("\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
        "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
        "\uff00-\uffef\U00020000-\U0003134f")
_EMOJI_BASE = ("\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff"
               "\u24c2\u25aa-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297"
               "\u3299\U0001F000-\U0001FAFF")
_EMOJI_MOD = "\ufe0e\ufe0f\U0001F3FB-\U0001F3FF\u20e3\U000E0020-\U000E007F"
_EMOJI = ("[\U0001F1E6-\U0001F1FF]{2}"
          "|[0-9#*]\ufe0f?\u20e3"
          "|[" + _EMOJI_BASE + "][" + _EMOJI_MOD + "]*"
          "(?:\u200d[" + _EMOJI_BASE + "][" + _EMOJI_MOD + "]*)*")
_WORDCHAR = "(?:(?![" + _CJK + "])[^\\W_]|[\u0300-\u036f])"
_NOKEYCAP = "(?![0-9#*]\ufe0f?\u20e3)"

TOKEN_RE = re.compile(
    "\n"
    "|" + _EMOJI +
    "|[" + _CJK + "]"
    "|[ ]?" + _NOKEYCAP + _WORDCHAR + "+"
    "|[^\\S\n]+?(?=\\S|\n|\\Z|[ ]" + _NOKEYCAP + _WORDCHAR + ")"
    "|.",
    re.S)


def tokenize(text):
    """Split text into tokens; ''.join(tokenize(t)) == t."""
    return TOKEN_RE.findall(text)


def count(text):
    return len(TOKEN_RE.findall(text))


def prompt_tokens(messages):
    """Tokens of every message content plus 4 per message."""
    total = 0
    for m in messages:
        c = m.get("content")
        if isinstance(c, str):
            total += count(c)
        total += 4
    return total
