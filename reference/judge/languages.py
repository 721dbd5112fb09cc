"""The judge's words in the notebooks' other language: one table a language, each
English sentence the judge says (with its {fields}) beside the same sentence in
that language.

The judge speaks English (reference/judge/words.py and the modules that build
its sentences); :func:`said` gives a line in another language, clause by clause
(clauses joined by "; "), each clause read against the table's English
sentences and written out as the language's, its fields translated in turn
where they are sentences of the table themselves (a catalogue mistake inside
a verdict). A clause the table does not have stays in English: a line is never
lost. The table covers the checks of the exercise's steps and its forward pass,
every mistake of the catalogue, and the trace's words on a delta; the backprop's
layer-by-layer verdict is still English (tests/judge/test_languages.py lists
what is covered).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Dict, List, Pattern, Tuple

#: The languages there are, English first (the judge's own).
LANGUAGES = ("en", "zh")

#: The judge's sentences in Chinese, by their English. Fields in braces are carried
#: over (and translated, where they are sentences of this table themselves).
ZH: Dict[str, str] = {
    # --- a step of the backward pass (reference/judge/steps.py) ---
    "{q} is right at every point": "{q} 在每个点上都正确",
    "{q} is wrong: {words}": "{q} 不对：{words}",
    "look at the line that computes {q}: it should be {formula}": (
        "请看计算 {q} 的那一行：应该是 {formula}"
    ),
    "look at the line that computes {q}: a factor {k} that should not be there": (
        "请看计算 {q} 的那一行：多了一个不该有的因子 {k}"
    ),
    "look at the line that computes {q}": "请看计算 {q} 的那一行",
    "{q} is wrong: it is {k} {formula}, the right form with another constant (it should be"
    " {should})": "{q} 不对：它是 {k} {formula}，形式对，但常数不对（应该是 {should}）",
    "{q} is wrong: it is not {formula}": "{q} 不对：它不是 {formula}",
    "{sentence} at {n} of the {total} points (the first: {label})": (
        "{sentence}（{total} 个点中有 {n} 个不对，第一个是：{label}）"
    ),
    "{q} has shape {got}, expected {want} (at {label}): it is {q2} transposed, its values"
    " are right": "{q} 的形状是 {got}，应该是 {want}（在 {label}）：它是转置了的 {q2}，数值是对的",
    "{q} has shape {got}, expected {want} (at {label})": (
        "{q} 的形状是 {got}，应该是 {want}（在 {label}）"
    ),
    "expected an array, {q} of shape {shape}; it returned {types}": (
        "应该返回一个数组，即形状为 {shape} 的 {q}；实际返回的是 {types}"
    ),
    "the function returned NaN or infinite values in {q} (at {label})": (
        "函数返回的 {q} 中有 NaN 或无穷大（在 {label}）"
    ),
    "it raised {error}: {message} (at {label})": "函数抛出了 {error}：{message}（在 {label}）",
    "expected f({args}) -> {q}": "应该是 f({args}) -> {q} 的形式",
    "divided by the number of rows (a mean over samples): it should be the sum, {formula}": (
        "除以了行数（对样本取了平均）：应该是求和，{formula}"
    ),
    # --- the forward pass (reference/judge/forward.py) ---
    "a1 and a2 are right at every point": "a1 和 a2 在每个点上都正确",
    "{name} is not sigmoid({z}): it is {z2}, without the sigmoid (at {label})": (
        "{name} 不是 sigmoid({z})：它是 {z2}，少了 sigmoid（在 {label}）"
    ),
    "{name} is not sigmoid({z}) (at {label})": "{name} 不是 sigmoid({z})（在 {label}）",
    "expected two arrays, (a1, a2)": "应该返回两个数组 (a1, a2)",
    "expected f(x, w1, w2) -> (a1, a2)": "应该是 f(x, w1, w2) -> (a1, a2) 的形式",
    # --- what a check says around the verdict (reference/grading/exercise.py) ---
    "{file} uses {used}, the project's own code: its answers would be the project's, not"
    " yours, so they are not judged; write {function} without it": (
        "{file} 用了 {used}，这是本项目自己的代码：它的答案是本项目的，不是你的，所以不予评判；"
        "请不用它来写 {function}"
    ),
    "the notebook": "这个笔记本",
    "what {name} printed, at the check's points:": "{name} 在检查的各个点上打印的内容：",
    "... and {n} lines more": "……还有 {n} 行",
    # --- the catalogue's mistakes (reference/judge/catalogue.py) ---
    "the exact MSE gradient, d2 = (2/3) (a2 - y) a2 (1 - a2)": (
        "均方误差的精确梯度，d2 = (2/3) (a2 - y) a2 (1 - a2)"
    ),
    "the article's rule d2 = a2 - y, the gradient of the summed binary cross-entropy": (
        "文章的规则 d2 = a2 - y，它是（求和的）二元交叉熵的梯度"
    ),
    "output sigmoid derivative missing: d2 = (2/3) (a2 - y)": (
        "漏了输出层 sigmoid 的导数：d2 = (2/3) (a2 - y)"
    ),
    "factor 2 lost: d2 = (1/3) (a2 - y) a2 (1 - a2)": "丢了因子 2：d2 = (1/3) (a2 - y) a2 (1 - a2)",
    "divisor 3 lost: d2 = 2 (a2 - y) a2 (1 - a2)": "丢了除数 3：d2 = 2 (a2 - y) a2 (1 - a2)",
    "constant 2/3 dropped: d2 = (a2 - y) a2 (1 - a2), the gradient of half the summed squared"
    " error": "丢了常数 2/3：d2 = (a2 - y) a2 (1 - a2)，这是平方误差之和的一半的梯度",
    "MSE divided by the number of rows as well (a mean over samples)": (
        "均方误差又除以了行数（对样本取了平均）"
    ),
    "{where} derivative taken as {taken} instead of {right}": (
        "{where}的导数写成了 {taken}，应该是 {right}"
    ),
    "hidden sigmoid derivative missing: d1 = d2 @ w2.T": (
        "漏了隐藏层 sigmoid 的导数：d1 = d2 @ w2.T"
    ),
    "w2 updated before d1 is computed (d1 uses the new w2)": (
        "在计算 d1 之前就更新了 w2（d1 用的是新的 w2）"
    ),
    "sign flipped (the update climbs the loss)": "符号反了（这样更新会让损失变大）",
    "dw1 transposed: its values are right, its layout is (h, 30), not w1's (30, h)": (
        "dw1 转置了：数值是对的，但排列是 (h, 30)，而不是 w1 的 (30, h)"
    ),
    "dw2 transposed: its values are right, its layout is (3, h), not w2's (h, 3)": (
        "dw2 转置了：数值是对的，但排列是 (3, h)，而不是 w2 的 (h, 3)"
    ),
    "the two gradients returned in the other order: (dw2, dw1)": (
        "两个梯度的返回顺序反了：(dw2, dw1)"
    ),
    "the answer depends on earlier calls: called twice with the same inputs it returned two"
    " different gradients (gradients added up across calls and never reset)": (
        "答案取决于之前的调用：同样的输入调用两次，返回了两个不同的梯度（梯度在多次调用之间累加，"
        "从未清零）"
    ),
    "output": "输出层",
    "hidden": "隐藏层",
    # --- the slopes, as the words above name them (reference/judge/catalogue.py) ---
    "tanh's {f}": "tanh 的 {f}",
    "the sigmoid's {f}": "sigmoid 的 {f}",
    "ReLU's {f}": "ReLU 的 {f}",
    "{f}, tanh's": "{f}（tanh 的导数）",
    "{f}, the sigmoid's": "{f}（sigmoid 的导数）",
    "{f}, ReLU's": "{f}（ReLU 的导数）",
    "{f}, half of {g}": "{f}（只是 {g} 的一半）",
    "{x} alone": "单独的 {x}",
    "1 (no slope at all)": "1（完全没有导数）",
    # --- the trace's words on a delta (reference/judge/trace.py) ---
    "d2 is wrong: the error a2 - y is right, the slope is not (d2 = {c} (a2 - y) x {slope})": (
        "d2 不对：误差 a2 - y 是对的，导数不对（d2 = {c} (a2 - y) x {slope}）"
    ),
    "look at the line that computes d2: the slope there is {named}, not {want}": (
        "请看计算 d2 的那一行：那里的导数是 {named}，应该是 {want}"
    ),
    "d2 is wrong: it is {given} {formula}, the right form with another constant (it should"
    " be {should})": "d2 不对：它是 {given} {formula}，形式对，但常数不对（应该是 {should}）",
    "look at the line that computes d2: the constant in front of {formula} is {given}, not"
    " {should}": "请看计算 d2 的那一行：{formula} 前面的常数是 {given}，应该是 {should}",
    "d2 is wrong: the slope a2 (1 - a2) is right, the error term is not (d2 = {k} x {error} x"
    " a2 (1 - a2))": (
        "d2 不对：导数 a2 (1 - a2) 是对的，误差项不对（d2 = {k} x {error} x a2 (1 - a2)）"
    ),
    "look at the line that computes d2: its error term is {error}, not a2 - y": (
        "请看计算 d2 的那一行：它的误差项是 {error}，应该是 a2 - y"
    ),
    "d2 is wrong: it is not {formula} times a constant, nor the error a2 - y times a simple"
    " slope": "d2 不对：它既不是 {formula} 乘以一个常数，也不是误差 a2 - y 乘以一个简单的导数",
    "d1 is wrong: it is {factor} (d2 @ w2.T) a1 (1 - a1), the right form with another"
    " constant (it should be 1)": (
        "d1 不对：它是 {factor} (d2 @ w2.T) a1 (1 - a1)，形式对，但常数不对（应该是 1）"
    ),
    "look at the line that computes d1: a factor {factor} that should not be there": (
        "请看计算 d1 的那一行：多了一个不该有的因子 {factor}"
    ),
    "d1 is wrong: the back-propagated error d2 @ w2.T is right, the slope is not (it is"
    " {slope})": "d1 不对：反向传回的误差 d2 @ w2.T 是对的，导数不对（它是 {slope}）",
    "look at the line that computes d1: the slope there is {named}, not a1 (1 - a1)": (
        "请看计算 d1 的那一行：那里的导数是 {named}，应该是 a1 (1 - a1)"
    ),
    "d1 is wrong: the slope a1 (1 - a1) is right, the back-propagated error is not (it is"
    " {error} @ w2.T, where dw2 has d2)": (
        "d1 不对：导数 a1 (1 - a1) 是对的，反向传回的误差不对（它是 {error} @ w2.T，"
        "而 dw2 用的是 d2）"
    ),
    "look at the line that computes d1: it sends back {error}, not the d2 of dw2": (
        "请看计算 d1 的那一行：它传回的是 {error}，而不是 dw2 用的 d2"
    ),
    "d1 is wrong: it is not the back-propagated error d2 @ w2.T times a simple slope": (
        "d1 不对：它不是反向传回的误差 d2 @ w2.T 乘以一个简单的导数"
    ),
    "look at the line that computes d1: the error sent back through w2, or its slope": (
        "请看计算 d1 的那一行：经 w2 传回的误差，或者它的导数"
    ),
}  # fmt: skip

TABLES: Dict[str, Dict[str, str]] = {"zh": ZH}

#: What a field may be, where it is not any text: a quantity's or a function's name, a
#: count, a number as the judge prints it.
FIELDS = {"q": r"\w+", "q2": r"\w+", "name": r"\w+", "n": r"\d+", "total": r"\d+",
          "k": r"-?[\d.]+(?:e[-+]?\d+)?", "c": r"-?[\d.]+(?:e[-+]?\d+)?",
          "factor": r"-?[\d.]+(?:e[-+]?\d+)?", "given": r"-?[\d.]+(?:e[-+]?\d+)?",
          "should": r"-?[\d.]+(?:e[-+]?\d+)?"}  # fmt: skip


@cache
def _patterns(language: str) -> List[Tuple[Pattern[str], str]]:
    """The table's English sentences as patterns (each field any text), longest first."""
    found = []
    for english, own in TABLES[language].items():
        pattern = re.escape(english)
        for name in re.findall(r"\{(\w+)\}", english):
            field = FIELDS.get(name, ".+?")
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>{field})", 1)
        found.append((re.compile(pattern, re.DOTALL), own))
    return sorted(found, key=lambda p: -len(p[0].pattern))


def said(line: str, language: str = "en") -> str:
    """``line`` in ``language``: as the table says it, or clause by clause (clauses
    joined by "; "), each as the table says it or as it was."""
    if language == "en":
        return line
    whole = _clause(line, language)
    if whole != line or "; " not in line:
        return whole
    return "；".join(_clause(c, language) for c in line.split("; "))


def _clause(text: str, language: str, depth: int = 0) -> str:
    for pattern, own in _patterns(language):
        found = pattern.fullmatch(text)
        if found is not None:
            if depth > 3:
                return text
            fields = {k: _clause(v, language, depth + 1) for k, v in found.groupdict().items()}
            return own.format(**fields)
    return text
