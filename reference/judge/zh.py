"""The judge's sentences in Chinese, by their English: the table
reference/judge/languages.py reads (one table a language). Fields in braces are
carried over, and translated in turn where they are sentences of this table.
Chinese is written with its own punctuation."""

from typing import Dict

#: The judge's sentences in Chinese, by their English. Fields in braces are carried
#: over (and translated, where they are sentences of this table themselves).
ZH: Dict[str, str] = {
    # --- a step of the backward pass (reference/judge/steps.py) ---
    "{q} is right at every point": "{q} 在每个点上都正确",
    "{q} is wrong: {words}": "{q} 不对：{words}",
    "look at the line that computes {q}: it should be {formula}":
        "请看计算 {q} 的那一行：应该是 {formula}",
    "look at the line that computes {q}: a factor {k} that should not be there":
        "请看计算 {q} 的那一行：多了一个不该有的因子 {k}",
    "look at the line that computes {q}": "请看计算 {q} 的那一行",
    "{sentence} at {n} of the {total} points (the first: {label})":
        "{sentence}（{total} 个点中有 {n} 个不对，第一个是：{label}）",
    "{q} has shape {got}, expected {want} (at {label}): it is {q2} transposed, its values"
    " are right": "{q} 的形状是 {got}，应该是 {want}（在 {label}）：它是转置了的 {q2}，数值是对的",
    "{q} has shape {got}, expected {want} (at {label})":
        "{q} 的形状是 {got}，应该是 {want}（在 {label}）",
    "expected an array, {q} of shape {shape}; it returned {types}":
        "应该返回一个数组，即形状为 {shape} 的 {q}；实际返回的是 {types}",
    "the function returned NaN or infinite values in {q} (at {label})":
        "函数返回的 {q} 中有 NaN 或无穷大（在 {label}）",
    "it raised {error}: {message} (at {label})": "函数抛出了 {error}：{message}（在 {label}）",
    "expected f({args}) -> {q}": "应该是 f({args}) -> {q} 的形式",
    "divided by the number of rows (a mean over samples): it should be the sum over the"
    " rows": "除以了行数（对样本取了平均）：应该是对各行求和",
    "its sign is flipped: it is minus the right value": "符号反了：它是正确值的相反数",
    "{q} is wrong: it is the right {q2} times {k}": "{q} 不对：它是正确的 {q2} 乘以 {k}",
    "{q} is wrong: it is neither the right {q2} nor a constant times it, nor a mistake the"
    " catalogue knows":
        "{q} 不对：它既不是正确的 {q2}，也不是它的常数倍，也不是错误目录中已知的错误",
    # --- the forward pass (reference/judge/forward.py) ---
    "a1 and a2 are right at every point": "a1 和 a2 在每个点上都正确",
    "{name} is not sigmoid({z}): it is {z2}, without the sigmoid (at {label})":
        "{name} 不是 sigmoid({z})：它是 {z2}，少了 sigmoid（在 {label}）",
    "{name} is not sigmoid({z}) (at {label})": "{name} 不是 sigmoid({z})（在 {label}）",
    "expected two arrays, (a1, a2)": "应该返回两个数组 (a1, a2)",
    "expected f(x, w1, w2) -> (a1, a2)": "应该是 f(x, w1, w2) -> (a1, a2) 的形式",
    # --- what a check says around the verdict (reference/grading/exercise.py) ---
    "{file} uses {used}, the project's own code: its answers would be the project's, not"
    " yours, so they are not judged; write {function} without it": (
        "{file} 用了 {used}，这是本项目自己的代码：它的答案是本项目的，不是你的，所以不予评判；"
        "请不用它来写 {function}"
    ),
    "the notebook uses {used}, the project's own code: its answers would be the project's,"
    " not yours, so they are not judged; write {function} without it": (
        "这个笔记本用了 {used}，这是本项目自己的代码：它的答案是本项目的，不是你的，所以不予评判；"
        "请不用它来写 {function}"
    ),
    "{letter}, seed {seed}, hidden {h}": "{letter}，种子 {seed}，隐藏层 {h} 个神经元",
    "{letter}, seed {seed}, weights x {k} (saturated), hidden {h}":
        "{letter}，种子 {seed}，权重乘以 {k}（饱和），隐藏层 {h} 个神经元",
    "A, B, C as rows, seed {seed}": "A、B、C 合成一批，种子 {seed}",
    "A, B, C as rows, seed {seed}, weights x {k} (saturated)":
        "A、B、C 合成一批，种子 {seed}，权重乘以 {k}（饱和）",
    "{caller} calls {callee}, which is not right yet: fix {callee2} first; until then the words"
    " on {caller2} may point at lines that are right":
        "{caller} 调用了 {callee}，而 {callee} 还不正确：请先改好 {callee2}；"
        "在那之前，对 {caller2} 的说明可能会指向其实正确的行",
    "{caller} calls {callee}, which is not right yet ({why}): fix {callee2} first; until then"
    " the words on {caller2} may point at lines that are right":
        "{caller} 调用了 {callee}，而它还不正确（{why}）：请先改好 {callee2}；"
        "在那之前，对 {caller2} 的说明可能会指向其实正确的行",
    "what {name} printed, at the check's points:": "{name} 在检查的各个点上打印的内容：",
    "... and {n} lines more": "……还有 {n} 行",
    # --- the catalogue's mistakes (reference/judge/catalogue.py) ---
    "the exact MSE gradient, d2 = (2/3) (a2 - y) a2 (1 - a2)":
        "均方误差的精确梯度，d2 = (2/3) (a2 - y) a2 (1 - a2)",
    "the article's rule d2 = a2 - y, the gradient of the summed binary cross-entropy":
        "文章的规则 d2 = a2 - y，它是求和形式的二元交叉熵的梯度",
    "output sigmoid derivative missing: d2 = (2/3) (a2 - y)":
        "漏了输出层 sigmoid 的导数：d2 = (2/3) (a2 - y)",
    "factor 2 lost: d2 = (1/3) (a2 - y) a2 (1 - a2)": "丢了因子 2：d2 = (1/3) (a2 - y) a2 (1 - a2)",
    "divisor 3 lost: d2 = 2 (a2 - y) a2 (1 - a2)": "丢了除数 3：d2 = 2 (a2 - y) a2 (1 - a2)",
    "constant 2/3 dropped: d2 = (a2 - y) a2 (1 - a2), the gradient of half the summed squared"
    " error": "丢了常数 2/3：d2 = (a2 - y) a2 (1 - a2)，这是平方误差之和的一半的梯度",
    "MSE divided by the number of rows as well (a mean over samples)":
        "均方误差又除以了行数（对样本取了平均）",
    "{where} derivative taken as {taken} instead of {right}":
        "{where}的导数写成了 {taken}，应该是 {right}",
    "hidden sigmoid derivative missing: d1 = d2 @ w2.T":
        "漏了隐藏层 sigmoid 的导数：d1 = d2 @ w2.T",
    "w2 updated before d1 is computed (d1 uses the new w2)":
        "在计算 d1 之前就更新了 w2（d1 用的是新的 w2）",
    "sign flipped (the update climbs the loss)": "符号反了（这样更新会让损失变大）",
    "dw1 transposed: its values are right, its layout is (h, 30), not w1's (30, h)":
        "dw1 转置了：数值是对的，但排列是 (h, 30)，而不是 w1 的 (30, h)",
    "dw2 transposed: its values are right, its layout is (3, h), not w2's (h, 3)":
        "dw2 转置了：数值是对的，但排列是 (3, h)，而不是 w2 的 (h, 3)",
    "the two gradients returned in the other order: (dw2, dw1)":
        "两个梯度的返回顺序反了：(dw2, dw1)",
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
    "{x} alone": "只有 {x}",
    "1 (no slope at all)": "1（完全没有导数）",
    # --- the backprop's verdict, layer by layer (reference/judge/words.py) ---
    "the MSE, sum((a2 - y)^2) / 3": "均方误差 sum((a2 - y)^2) / 3",
    "the summed binary cross-entropy": "求和形式的二元交叉熵",
    "checking {sig} against {loss}": "以 {loss} 为准检查 {sig}",
    "one SGD step, gradients recovered as (w - new_w) / alpha, alpha = {a}":
        "一步随机梯度下降，梯度由 (w - new_w) / alpha 反推，alpha = {a}",
    "run at: {what}": "检查范围：{what}",
    "{n} points": "{n} 个点",
    "hidden sizes {sizes}": "隐藏层大小 {sizes}",
    "letters A, B, C one at a time and as a batch of rows": "字母 A、B、C，一次一个，也合成一批",
    "letters A, B, C one at a time": "字母 A、B、C，一次一个",
    "article starts for seeds {seeds} and a saturated one":
        "文章的初始权重（种子 {seeds}）以及一组饱和的权重",
    "the first point twice": "第一个点运行两次",
    "{layer}: correct for {loss} (largest relative difference {r})":
        "{layer}：是 {loss} 的正确梯度（最大相对差 {r}）",
    "{layer}: correct for {loss} to {p} rounding (largest relative difference {r})":
        "{layer}：在 {p} 的舍入误差内是 {loss} 的正确梯度（最大相对差 {r}）",
    "{layer}: matches {named} (largest relative difference {r})":
        "{layer}：与 {named} 吻合（最大相对差 {r}）",
    "{layer}: matches {named} (largest relative difference {r}, at its first call)":
        "{layer}：与 {named} 吻合（第一次调用时最大相对差 {r}）",
    "{layer}: matches {named} (largest relative difference {r}, once laid out as the weights"
    " are)": "{layer}：与 {named} 吻合（按权重的形状摆好后，最大相对差 {r}）",
    "*{words}*": "*{words}*",
    "*{words}* (in d2, inherited)": "*{words}*（源自 d2 的错误）",
    "*{words}* (sent back in d1, while dw2 has another d2)":
        "*{words}*（在 d1 中传回，而 dw2 用的是另一个 d2）",
    "{one} + {other}": "{one} + {other}",
    "the correct gradient differs by {d}": "与正确梯度相差 {d}",
    "{layer}: approximately the gradient of {loss}, off by up to {off}, where backprop is exact"
    " to {p} rounding ({tol})": (
        "{layer}：近似于 {loss} 的梯度，最多相差 {off}，"
        "而反向传播本应精确到 {p} 的舍入误差（{tol}）"
    ),
    "{layer}: matches nothing in the catalogue": "{layer}：与错误目录中的任何一项都不符",
    "the correct gradient differs by {d}{span}, the differences are largest{there} in{at}":
        "与正确梯度相差 {d}{span}，{there}差别最大的是{at}",
    "the correct gradient differs by {d}{span}, but it is the correct gradient times {k}"
    " everywhere ({hint})": "与正确梯度相差 {d}{span}，但处处都是正确梯度的 {k} 倍（{hint}）",
    "the differences are largest{there} in{at}": "{there}差别最大的是{at}",
    " at {n} of the {total} points (the first: {point})":
        "，{total} 个点中有 {n} 个不对（第一个是：{point}）",
    "a fixed factor?": "是多了一个固定的因子吗？",
    "a learning rate other than alpha?": "用的学习率不是 alpha 吗？",
    " there": "那里",
    " hidden units {units} and pixels {pixels}": "隐藏层神经元 {units} 和像素 {pixels}",
    " hidden units {units}": "隐藏层神经元 {units}",
    "{layer}: the function returned {g} itself, the gradient of {loss}, not the updated weights"
    " {w} - alpha * {g2}":
        "{layer}：函数返回的是 {g} 本身，即 {loss} 的梯度，而不是更新后的权重 {w} - alpha * {g2}",
    "no line of a backprop gives such differences: they are an approximation's (finite"
    " differences) or a lower precision's somewhere in it (float32, float16)": (
        "反向传播的任何一行都不会造成这样的差别：它们来自近似（有限差分），"
        "或者某处用了较低的精度（float32、float16）"
    ),
    "the chain rule in float64 gives the gradient exact to rounding":
        "在 float64 中按链式法则求出的梯度精确到舍入误差",
    "look at the line that computes {q}: {words}": "请看计算 {q} 的那一行：{words}",
    "look at the line that computes {q}: it sends back another d2 than dw2's ({words})":
        "请看计算 {q} 的那一行：它传回的 d2 与 dw2 用的不同（{words}）",
    "look at the return line: {words}": "请看 return 那一行：{words}",
    "look at where the gradients are divided by the number of rows (in d2, or after):"
    " {words}": "请看梯度除以行数的地方（在 d2 中，或在之后）：{words}",
    "look at where dw1 and dw2 are kept between calls (they must start from zero at each):"
    " {words}": "请看 dw1 和 dw2 在两次调用之间保存在哪里（每次调用都必须从零开始）：{words}",
    "look at the sign of the error in d2 (a2 - y, not y - a2), or of the update (w - alpha *"
    " dw): {words}":
        "请看 d2 中误差的符号（是 a2 - y，不是 y - a2），或更新的符号（w - alpha * dw）：{words}",
    "look at the sign of the error in d2 (a2 - y, not y - a2), or in front of dw1, dw2:"
    " {words}": "请看 d2 中误差的符号（是 a2 - y，不是 y - a2），或 dw1、dw2 前面的符号：{words}",
    "look at the update w - alpha * dw: both gradients come out as the correct ones times {k}"
    " everywhere (alpha used twice, or another learning rate?)": (
        "请看更新 w - alpha * dw：两个梯度处处都是正确梯度的 {k} 倍（alpha 用了两次，"
        "还是用了别的学习率？）"
    ),
    "look at what the function returns: a step returns the updated weights, w1 - alpha * dw1,"
    " w2 - alpha * dw2, not the gradients": (
        "请看函数返回了什么：一步更新应返回更新后的权重 w1 - alpha * dw1、w2 - alpha * dw2，"
        "而不是梯度"
    ),
    "ok: both layers are the gradient of {loss}": "通过：两层都是 {loss} 的梯度",
    "ok: both layers are the gradient of {loss} (to {p} rounding)":
        "通过：两层都是 {loss} 的梯度（在 {p} 的舍入误差内）",
    "not required here, and not holding: {parts}": "这里不要求，但没有做到：{parts}",
    "required and not holding: {parts}": "要求了，但没有做到：{parts}",
    "other hidden sizes (3 and 8)": "其他隐藏层大小（3 和 8）",
    "a batch of rows (the sum of its rows' gradients)": "一批多行数据（各行梯度之和）",
    "other hidden sizes (3 and 8), a batch of rows (the sum of its rows' gradients)":
        "其他隐藏层大小（3 和 8）、一批多行数据（各行梯度之和）",
    "FAIL: {layers} not the gradient of {loss}": "不通过：{layers} 不是 {loss} 的梯度",
    "FAIL: asked for one SGD step, {sig}": "不通过：要求的是一步随机梯度下降，{sig}",
    "FAIL: asked for a gradient, {sig}": "不通过：要求的是梯度，{sig}",
    "note: {note}": "说明：{note}",
    "{layer}: given several rows at once, the function does not return the sum of the rows'"
    " gradients (it is judged one sample at a time)":
        "{layer}：一次给出多行时，函数返回的不是各行梯度之和（所以按一次一个样本来评判）",
    "judged as a gradient, {sig}, from its {n} parameters without a default":
        "按梯度 {sig} 来评判，依据是它有 {n} 个没有默认值的参数",
    "judged as one SGD step, {sig}, from its {n} parameters without a default":
        "按一步随机梯度下降 {sig} 来评判，依据是它有 {n} 个没有默认值的参数",
    "left to their defaults: {names}": "保持默认值的参数：{names}",
    "not checked with hidden size {h}: {why}": "隐藏层大小为 {h} 时没有检查：{why}",
    "not checked with several rows at once: {why}": "一次给出多行时没有检查：{why}",
    "the function raised {error}: {message} (at {point}, line {line})":
        "函数抛出了 {error}：{message}（在 {point}，第 {line} 行）",
    "the function returned shape {got} for {q}, expected {want} (at {point})":
        "函数返回的 {q} 形状是 {got}，应该是 {want}（在 {point}）",
    # --- the trace's words (reference/judge/trace.py) ---
    "inherits d2's mistake: its own step, d1 = (d2 @ w2.T) a1 (1 - a1), is right":
        "继承了 d2 的错误：它自己这一步 d1 = (d2 @ w2.T) a1 (1 - a1) 是对的",
    "{said}, as well as inheriting d2's mistake": "{said}，同时也继承了 d2 的错误",
    "{said} (of the network's d2: yours could not be read back from dw2)":
        "{said}（这是相对网络的 d2 而言：你的 d2 无法从 dw2 反推出来）",
    "it is not x.T @ d1 for any d1": "对任何 d1，它都不是 x.T @ d1",
    "it is not a1.T @ d2 for any d2": "对任何 d2，它都不是 a1.T @ d2",
    "it is z1.T @ d2, z1 = x @ w1, where it should be a1.T @ d2":
        "它是 z1.T @ d2（z1 = x @ w1），应该是 a1.T @ d2",
    "it is a1.T @ d2 for an a1 that is x @ w1, the hidden layer's sigmoid left out":
        "它是 a1.T @ d2，但其中的 a1 是 x @ w1，漏了隐藏层的 sigmoid",
    "it is u.T @ d2 for a u that is not the hidden activations a1 = sigmoid(x @ w1)":
        "它是 u.T @ d2，但 u 不是隐藏层的激活值 a1 = sigmoid(x @ w1)",
    "look at the a1 that dw2 uses: it is x @ w1, where a1 is sigmoid(x @ w1)":
        "请看 dw2 用的 a1：它是 x @ w1，而 a1 应该是 sigmoid(x @ w1)",
    "look at the a1 that dw2 uses: it is not sigmoid(x @ w1)":
        "请看 dw2 用的 a1：它不是 sigmoid(x @ w1)",
    "look at the line that computes dw2: it uses x @ w1 where it should use a1":
        "请看计算 dw2 的那一行：它用了 x @ w1，应该用 a1",
    "look at the line that computes dw2: the activations it uses are not a1":
        "请看计算 dw2 的那一行：它用的激活值不是 a1",
    "d2 is wrong: the error a2 - y is right, the slope is not (d2 = {c} (a2 - y) x {slope})":
        "d2 不对：误差 a2 - y 是对的，导数不对（d2 = {c} (a2 - y) x {slope}）",
    "look at the line that computes d2: the slope there is {named}, not {want}":
        "请看计算 d2 的那一行：那里的导数是 {named}，应该是 {want}",
    "d2 is wrong: it is {given} {formula}, the right form with another constant (it should"
    " be {should})": "d2 不对：它是 {given} {formula}，形式对，但常数不对（应该是 {should}）",
    "look at the line that computes d2: the constant in front of {formula} is {given}, not"
    " {should}": "请看计算 d2 的那一行：{formula} 前面的常数是 {given}，应该是 {should}",
    "d2 is wrong: the slope a2 (1 - a2) is right, the error term is not (d2 = {k} x {error} x"
    " a2 (1 - a2))":
        "d2 不对：导数 a2 (1 - a2) 是对的，误差项不对（d2 = {k} x {error} x a2 (1 - a2)）",
    "look at the line that computes d2: its error term is {error}, not a2 - y":
        "请看计算 d2 的那一行：它的误差项是 {error}，应该是 a2 - y",
    "d2 is wrong: it is not {formula} times a constant, nor the error a2 - y times a simple"
    " slope": "d2 不对：它既不是 {formula} 乘以一个常数，也不是误差 a2 - y 乘以一个简单的导数",
    "d1 is wrong: it is {factor} (d2 @ w2.T) a1 (1 - a1), the right form with another"
    " constant (it should be 1)":
        "d1 不对：它是 {factor} (d2 @ w2.T) a1 (1 - a1)，形式对，但常数不对（应该是 1）",
    "look at the line that computes d1: a factor {factor} that should not be there":
        "请看计算 d1 的那一行：多了一个不该有的因子 {factor}",
    "d1 is wrong: the back-propagated error d2 @ w2.T is right, the slope is not (it is"
    " {slope})": "d1 不对：反向传回的误差 d2 @ w2.T 是对的，导数不对（它是 {slope}）",
    "look at the line that computes d1: the slope there is {named}, not a1 (1 - a1)":
        "请看计算 d1 的那一行：那里的导数是 {named}，应该是 a1 (1 - a1)",
    "d1 is wrong: the slope a1 (1 - a1) is right, the back-propagated error is not (it is"
    " {error} @ w2.T, where dw2 has d2)": (
        "d1 不对：导数 a1 (1 - a1) 是对的，反向传回的误差不对（它是 {error} @ w2.T，"
        "而 dw2 用的是 d2）"
    ),
    "look at the line that computes d1: it sends back {error}, not the d2 of dw2":
        "请看计算 d1 的那一行：它传回的是 {error}，而不是 dw2 用的 d2",
    "d1 is wrong: it is not the back-propagated error d2 @ w2.T times a simple slope":
        "d1 不对：它不是反向传回的误差 d2 @ w2.T 乘以一个简单的导数",
    "look at the line that computes d1: the error sent back through w2, or its slope":
        "请看计算 d1 的那一行：经 w2 传回的误差，或者它的导数",
}  # fmt: skip

#: The grader's sentences around the judge's (reference/grading/gradebook.py).
ZH.update({
    "# Feedback on {file}": "# 对 {file} 的反馈",
    "The function checked: {function}, against {loss}.": "检查的函数：{function}，对照 {loss}。",
    "**Not checked:** {why}": "**没有检查：** {why}",
    "**Correct.**": "**正确。**",
    "**Not yet correct.**": "**还不正确。**",
    "**Not checked.**": "**没有检查。**",
    "**Not written yet.**": "**还没有写。**",
    "Score: {score} of {most}.": "得分：{score}（满分 {most}）。",
    "Note: {note}": "说明：{note}",
    "The forward pass checked: {function}.": "检查的前向传播：{function}。",
    "What it printed:": "它打印的内容：",
    "What it printed (the first {shown} of {length} characters):":
        "它打印的内容（共 {length} 个字符，这里是前 {shown} 个）：",
    "Make sure the file loads and the function returns quickly: no endless loop, no waiting"
    " for input.": "请确保文件能够加载、函数能很快返回：不要有死循环，也不要等待输入。",
    "Do not call `sys.exit`, `exit()` or `os._exit` in the file or the function.":
        "不要在文件或函数中调用 `sys.exit`、`exit()` 或 `os._exit`。",
    "The program crashed; check any C code, ctypes or extension you call.":
        "程序崩溃了；请检查你调用的 C 代码、`ctypes` 或扩展模块。",
    "Run your function on the article's inputs yourself and read the traceback.":
        "请自己用文章的输入运行你的函数，并阅读错误回溯（traceback）。",
    "The function asked for far more memory than the network needs.":
        "函数申请的内存远远超过这个神经网络所需。",
    "Fix the line Python cannot read.": "请修改 Python 无法读懂的那一行。",
    "Name the function {function} and give it the parameters (x, y, w1, w2) or (x, y, w1,"
    " w2, alpha).": "请把函数命名为 {function}，参数为 (x, y, w1, w2) 或 (x, y, w1, w2, alpha)。",
    "Hand in the file itself (a .py file, or the notebook as Jupyter saved it), not a link.":
        "请提交文件本身（.py 文件，或 Jupyter 保存的笔记本），而不是链接。",
    "Return two arrays, (dw1, dw2), shaped like w1 and w2.":
        "请返回两个数组 (dw1, dw2)，形状分别与 w1 和 w2 相同。",
    "Write the gradients yourself, by the chain rule: the project's own code computes the"
    " answer you are asked for, and is not yours to call. (A notebook exported to a .py file"
    " keeps its checks' import: hand in the notebook.)": (
        "请自己按链式法则写出梯度：本项目自己的代码算的正是要你求的答案，不能调用。"
        "（导出成 .py 文件的笔记本会保留检查单元格的导入语句：请直接提交笔记本。）"
    ),
    "{correct} of {total} correct": "{total} 份中 {correct} 份正确",
    "{wrong} wrong, {unchecked} unchecked": "{wrong} 份不对，{unchecked} 份没有检查",
    "{wrong} wrong, {unchecked} unchecked ({reasons})":
        "{wrong} 份不对，{unchecked} 份没有检查（{reasons}）",
    "most common mistakes: {shown}": "最常见的错误：{shown}",
    "forward passes: {c} of {n} correct": "前向传播：{n} 份中 {c} 份正确",
    "outside the catalogue: {outside} (see each one's words)":
        "错误目录之外：{outside} 份（见各自的说明）",
    "{layer}: right at every point of this part": "{layer}：这一部分的每个点都正确",
    "right at every point of this part": "这一部分的每个点都正确",
    "not right yet: see dL/dw1 and dL/dw2": "还不正确：请看 dL/dw1 和 dL/dw2",
    "not checked: {reason}": "没有检查：{reason}",
    "{part} (required)": "{part}（必须）",
    # --- the class's table: its columns, the statuses, the reasons, the mistakes' names ---
    "submission": "提交",
    "status": "状态",
    "forward": "前向传播",
    "seconds": "秒",
    "what": "说明",
    "correct": "正确",
    "correct (float32)": "正确（float32）",
    "wrong": "不对",
    "unchecked": "未检查",
    "not written yet": "还没有写",
    "timeout": "超时",
    "exited": "退出",
    "crashed": "崩溃",
    "raised": "抛出异常",
    "memory": "内存不够",
    "syntax": "语法错误",
    "missing": "缺少函数",
    "unreadable": "无法读取",
    "bad-output": "返回值不对",
    "copied": "用了本项目的代码",
    "dL/dw{n}: nothing in the catalogue": "dL/dw{n}：不在错误目录中",
    "mse": "均方误差的精确梯度",
    "bce": "文章的规则 d2 = a2 - y",
    "output slope missing": "漏了输出层的导数",
    "factor 2 lost": "丢了因子 2",
    "divisor 3 lost": "丢了除数 3",
    "2/3 dropped": "丢了常数 2/3",
    "mean over rows": "又除以了行数",
    "output slope of sigmoid(a2)": "输出层导数取了 sigmoid(a2) 的",
    "tanh slope at the output": "输出层用了 tanh 的导数",
    "relu slope at the output": "输出层用了 ReLU 的导数",
    "hidden slope missing": "漏了隐藏层的导数",
    "hidden slope of sigmoid(a1)": "隐藏层导数取了 sigmoid(a1) 的",
    "hidden slope from z1": "隐藏层导数用了 z1",
    "tanh slope at the hidden layer": "隐藏层用了 tanh 的导数",
    "relu slope at the hidden layer": "隐藏层用了 ReLU 的导数",
    "w2 updated before d1": "算 d1 之前就更新了 w2",
    "sign flipped": "符号反了",
    "dw1 transposed": "dw1 转置了",
    "dw2 transposed": "dw2 转置了",
    "gradients swapped": "两个梯度顺序反了",
    "accumulates across calls": "在多次调用之间累加",
    "the forward pass, {function}": "前向传播，{function}",
    "**Not checked:**": "**没有检查：**",
    # --- why a run could not be judged (reference/judge/answers.py) ---
    "{file} did not finish within the time limit of {limit} while running the function":
        "{file} 在运行函数时没能在时限 {limit} 内结束",
    "{file} did not finish within the time limit of {limit} while loading":
        "{file} 在加载时没能在时限 {limit} 内结束",
    "{file} did not finish within the time limit of {limit}": "{file} 没能在时限 {limit} 内结束",
    "{file} exited while running the function ({detail})": "{file} 在运行函数时退出了（{detail}）",
    "{file} exited while loading ({detail})": "{file} 在加载时退出了（{detail}）",
    "{file} crashed while running the function ({detail})": "{file} 在运行函数时崩溃了（{detail}）",
    "{file} crashed while loading ({detail})": "{file} 在加载时崩溃了（{detail}）",
    "{file} raised {detail} while loading (line {line})":
        "{file} 在加载时抛出了 {detail}（第 {line} 行）",
    "{file} raised {detail} while loading": "{file} 在加载时抛出了 {detail}",
    "{file} ran out of memory while running the function (past the memory limit)":
        "{file} 在运行函数时内存不够了（超过了内存上限）",
    "{file} ran out of memory while loading (past the memory limit)":
        "{file} 在加载时内存不够了（超过了内存上限）",
    "{file} is not valid Python: {detail} (line {line})":
        "{file} 不是合法的 Python 代码：{detail}（第 {line} 行）",
    "{file} is not valid Python: {detail}": "{file} 不是合法的 Python 代码：{detail}",
    "{file} has no function {function} (functions there: {functions})":
        "{file} 里没有函数 {function}（那里有的函数：{functions}）",
    "{file} was not read: {detail}": "{file} 没有被读取：{detail}",
    "the function raised {error}: {message} (at {point})":
        "函数抛出了 {error}：{message}（在 {point}）",
    "the function returned {got}: expected two arrays ({what})":
        "函数返回的是 {got}：应该是两个数组（{what}）",
    "the function returned {kind} for {q}, not an array": "函数返回的 {q} 是 {kind}，不是数组",
    "the function returned NaN or infinite values in {q}": "函数返回的 {q} 中有 NaN 或无穷大",
    "the function was not run at every point": "函数没有在每个点上都运行",
})  # fmt: skip
