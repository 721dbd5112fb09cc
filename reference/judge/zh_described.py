"""The judge's sentences in Chinese for a network a teacher describes (``--network``:
reference/judge/described_words.py, layered.py), by their English: read with
reference/judge/zh.py's, as one table (reference/judge/languages.py)."""

from typing import Dict

#: The described networks' sentences in Chinese, by their English (fields as in zh.py).
ZH_DESCRIBED: Dict[str, str] = {
    # --- a network a teacher describes (reference/judge/described_words.py, layered.py) ---
    "{w} (network {net})": "{w}（网络 {net}）",
    "checking {sig} against {loss} (network {net})": "以 {loss} 为准检查 {sig}（网络 {net}）",
    "{w}, averaged over the examples": "{w}，对样本取平均",
    "{w}, summed over the examples": "{w}，对样本求和",
    "the squared error sum((a - y)^2) / {k}": "均方误差 sum((a - y)^2) / {k}",
    "the binary cross-entropy -sum(y log a + (1 - y) log(1 - a))":
        "二元交叉熵 -sum(y log a + (1 - y) log(1 - a))",
    "the softmax cross-entropy -sum(y log p)": "softmax 交叉熵 -sum(y log p)",
    "sizes {sizes}": "大小 {sizes}",
    "batches of {a} to {b} examples, {labels}": "每批 {a} 到 {b} 个样本，{labels}",
    "every class among the labels but at seed 1 (the last absent)":
        "标签涵盖每一类（种子 1 除外，缺最后一类）",
    "every class among the labels": "标签涵盖每一类",
    "labels 0 and 1": "标签为 0 和 1",
    "seeds 0..2 and a saturated start": "种子 0..2 以及一组饱和的起点",
    "{g}: correct for {loss} (largest relative difference {r})":
        "{g}：正确（以 {loss} 为准，最大相对差 {r}）",
    "{g}: correct for {loss} to {p} rounding (largest relative difference {r})":
        "{g}：在 {p} 的舍入误差内正确（以 {loss} 为准，最大相对差 {r}）",
    "FAIL: the gradients are returned in another order": "不通过：梯度返回的顺序不对",
    "FAIL: called twice with the same inputs it returns two different answers":
        "不通过：用相同的输入调用两次，返回了两个不同的答案",
    "{g}: matches *{words}*": "{g}：与 *{words}* 吻合",
    "{g}: its values are right, its shape is not: {got}, not {w}'s {want} ({what} would be"
    " {spread})": (
        "{g}：数值是对的，形状不对：是 {got}，而 {w} 的形状是 {want}（{what} 会变成 {spre"
        "ad}）"
    ),
    "{g} transposed: its values are right, its layout is {got}, not {w}'s {want}":
        "{g} 转置了：数值是对的，形状是 {got}，而 {w} 的形状是 {want}",
    "{g} not summed over the examples: it holds {q}, one row an example, shape {got}":
        "{g} 没有对样本求和：它存的是 {q}，每个样本一行，形状 {got}",
    "{g} not summed over the examples: it holds {q}, one column an example, shape {got}":
        "{g} 没有对样本求和：它存的是 {q}，每个样本一列，形状 {got}",
    "{w}'s gradient is their sum, shape {want}": "{w} 的梯度是它们的和，形状 {want}",
    "{g} summed over every axis: one number, shape {got}, not {q} summed over the examples"
    " alone, shape {want}": (
        "{g} 对所有轴都求了和：只剩一个数，形状 {got}，应该只对样本求 {q} 的和，形状 {wan"
        "t}"
    ),
    "{g} summed over the wrong axis: over each example's units ({got}), not over the examples":
        "{g} 求和的轴不对：对每个样本的各个神经元求了和（{got}），应该对样本求和",
    "{g}: the mean's 1/n lost: n times the right gradient at every point (n the number of"
    " examples)": "{g}：平均值的 1/n 丢了：在每个点上都是正确梯度的 n 倍（n 是样本数）",
    "{g}: the mean's 1/n taken twice: the right gradient divided by n once more (n the number"
    " of examples)": "{g}：平均值的 1/n 用了两次：正确梯度又多除了一次 n（n 是样本数）",
    "{g}: divided by the number of examples (a mean), where the loss sums over them":
        "{g}：除以了样本数（取了平均），而损失是对样本求和的",
    "{g}: sign flipped (the update climbs the loss)": "{g}：符号反了（更新会让损失变大）",
    "{g}: zero everywhere (not computed, or multiplied by 0)": (
        "{g}：处处为零（没有计算，或者乘了 0）"
    ),
    "{g}: the correct gradient times {k} everywhere (a constant factor, in the loss's constant"
    " or the output delta)": (
        "{g}：处处都是正确梯度的 {k} 倍（多了一个常数因子，在损失的常数里或输出层的 delta"
        " 里）"
    ),
    "{g}: not the gradient of {loss}, and no known mistake matches it (largest relative"
    " difference {d})": "{g}：不是 {loss} 的梯度，也与任何已知错误都不符（最大相对差 {d}）",
    "its shape is {got}, not {w}'s {want}": "形状也不对：是 {got}，而 {w} 的形状是 {want}",
    "{q} multiplied by the {act}'s slope {s} as well: with {lossname} the slope cancels,"
    " {right}": "{q} 还乘上了 {act} 的导数 {s}：用 {lossname} 时这个导数会被消掉，{right}",
    "the labels left out of {q}: {p} alone instead of {right}":
        "{q} 中漏掉了标签：只有 {p}，应该是 {right}",
    "1 subtracted from every class's p in {q} (p - 1), not at the label's class alone (p - y)":
        "{q} 中每一类的 p 都减了 1（p - 1），应该只在标签所在的类减（p - y）",
    "{where} {act} slope {right} missing from {q}": "{q} 中缺少{where}的 {act} 导数 {right}",
    "{where} slope taken as {act2}'s {f} instead of {act}'s {right} in {q}":
        "{q} 中{where}的导数写成了 {act2} 的 {f}，应该是 {act} 的 {right}",
    "{where} slope taken of the pre-activation: {f} instead of {right} in {q}":
        "{q} 中{where}的导数是对激活前的值求的：写成了 {f}，应该是 {right}",
    "{where} ReLU mask taken of the gradient ({up} > 0) instead of the pre-activation ({z} > 0)"
    " in {q}": "{q} 中{where}的 ReLU 掩码取自梯度（{up} > 0），应该取自激活前的值（{z} > 0）",
    "{where} ReLU slope taken as {a} itself instead of the mask ({z} > 0) in {q}":
        "{q} 中{where}的 ReLU 导数写成了 {a} 本身，应该是掩码（{z} > 0）",
    "look at the line that computes {q}: every gradient has one mistake, {why}":
        "请看计算 {q} 的那一行：每个梯度都有同一个错误，{why}",
    "the mean's 1/n lost: n times the right gradient at every point (n the number of examples)":
        "平均值的 1/n 丢了：在每个点上都是正确梯度的 n 倍（n 是样本数）",
    "the mean's 1/n taken twice: the right gradient divided by n once more (n the number of"
    " examples)": "平均值的 1/n 用了两次：正确梯度又多除了一次 n（n 是样本数）",
    "divided by the number of examples (a mean), where the loss sums over them":
        "除以了样本数（取了平均），而损失是对样本求和的",
    "sign flipped (the update climbs the loss)": "符号反了（更新会让损失变大）",
    "zero everywhere (not computed, or multiplied by 0)": "处处为零（没有计算，或者乘了 0）",
    "the correct gradient times {k} everywhere (a constant factor, in the loss's constant or"
    " the output delta)": (
        "处处都是正确梯度的 {k} 倍（多了一个常数因子，在损失的常数里或输出层的 delta 里）"
    ),
    "look at the lines that compute {q} and {q2}: {g} is wrong, while those of the layers"
    " after it are right": "请看计算 {q} 和 {q2} 的那几行：{g} 不对，而它之后各层的梯度是对的",
    "{gs} is wrong, and so is every gradient of the layers before it, while those of the layers"
    " after it are right": "{gs} 不对，它之前各层的梯度也都不对，而它之后各层的梯度是对的",
    "{gs} are wrong, and so is every gradient of the layers before it, while those of the"
    " layers after it are right": "{gs} 不对，它之前各层的梯度也都不对，而它之后各层的梯度是对的",
    "{gs} is wrong, and so is every gradient of the layers before it":
        "{gs} 不对，它之前各层的梯度也都不对",
    "{gs} are wrong, and so is every gradient of the layers before it":
        "{gs} 不对，它之前各层的梯度也都不对",
    "{gs} is wrong, while those of the layers after it are right":
        "{gs} 不对，而它之后各层的梯度是对的",
    "{gs} are wrong, while those of the layers after it are right":
        "{gs} 不对，而它之后各层的梯度是对的",
    "look at where {gs} is kept between calls: {why}": "请看 {gs} 在两次调用之间保存在哪里：{why}",
    "look at where {gs} are kept between calls: {why}": "请看 {gs} 在两次调用之间保存在哪里：{why}",
    "called twice with the same inputs it returned two different answers (gradients added up"
    " across calls and never reset, or something random such as dropout: the answer must"
    " depend on the inputs alone, and it is judged here at its first call)": (
        "用相同的输入调用两次，返回了两个不同的答案（梯度在调用之间累加而没有清零，"
        "或者用了 dropout 之类的随机性：答案必须只取决于输入，这里按第一次调用的结果评判）"
    ),
    "look at the return line: the gradients come back as ({got}), not ({want})":
        "请看 return 那一行：梯度返回的顺序是 ({got})，应该是 ({want})",
    "ok: every gradient is the gradient of {loss}": "通过：每个梯度都是 {loss} 的梯度",
    "ok: every gradient is the gradient of {loss} (to {p} rounding)":
        "通过：每个梯度都是 {loss} 的梯度（在 {p} 的舍入误差内）",
    "{g} changes between two calls with the same inputs": "{g} 在两次输入相同的调用之间变了",
    "at another hidden size it could not be checked ({n} more): {why}":
        "在另一个隐藏层大小下无法检查（另有 {n} 处）：{why}",
    "at another hidden size it could not be checked: {why}": "在另一个隐藏层大小下无法检查：{why}",
    "at another hidden size it could not be checked ({n} more)":
        "在另一个隐藏层大小下无法检查（另有 {n} 处）",
    "at another hidden size it could not be checked": "在另一个隐藏层大小下无法检查",
    "other hidden sizes ({sizes})": "其他隐藏层大小（{sizes}）",
    "FAIL: not the gradient of {loss}: {gs}": "不通过：以下不是 {loss} 的梯度：{gs}",
    "not the gradient of {loss}: {gs}": "以下不是 {loss} 的梯度：{gs}",
    "FAIL: the values right, the shape not: {gs}": "不通过：数值对了，形状不对：{gs}",
    "the values right, the shape not: {gs}": "数值对了，形状不对：{gs}",
    "FAIL: required and not holding: {parts}": "不通过：要求了，但没有做到：{parts}",
    "look at where the 1/n is applied (in {q}, or in each gradient's own line): every gradient"
    " has one mistake, {why}": (
        "请看乘 1/n 的地方（在 {q} 中，或在每个梯度自己的那一行）：每个梯度都有同一个错误"
        "，{why}"
    ),
    "look at the sign of the error in {q} (a - y, not y - a), or before each gradient: every"
    " gradient has one mistake, {why}": (
        "请看 {q} 中误差的符号（是 a - y，不是 y - a），或每个梯度前面的符号：每个梯度都"
        "有同一个错误，{why}"
    ),
    "{g}: approximately the gradient of {loss}, off by up to {off}, where backprop is exact to"
    " {p} rounding ({tol})": (
        "{g}：近似于 {loss} 的梯度，最多相差 {off}，而反向传播本应精确到 {p} 的舍入误差（"
        "{tol}）"
    ),
    "{g}: n times the right gradient at every point (n the number of examples)":
        "{g}：在每个点上都是正确梯度的 n 倍（n 是样本数）",
    "n times the right gradient at every point (n the number of examples)":
        "在每个点上都是正确梯度的 n 倍（n 是样本数）",
    "{g}: the correct gradient times {k} everywhere (a constant factor)":
        "{g}：处处都是正确梯度的 {k} 倍（多了一个常数因子）",
    "the correct gradient times {k} everywhere (a constant factor)":
        "处处都是正确梯度的 {k} 倍（多了一个常数因子）",
    "{g}: nothing in the catalogue": "{g}：不在错误目录中",
    "the binary cross-entropy": "二元交叉熵",
    "the softmax cross-entropy": "softmax 交叉熵",
    # --- the feedback's advice (reference/grading/gradebook.py's NETWORK_ADVICE) ---
    "Run your function on a small batch of the network's inputs yourself and read the"
    " traceback.": "请自己用网络的一小批输入运行你的函数，并阅读错误回溯（traceback）。",
    "Name the function {function} and give it the parameters ({params}).":
        "请把函数命名为 {function}，并让它接受参数 ({params})。",
    "Return a tuple ({returns}), each shaped like its parameter.":
        "请返回一个元组 ({returns})，每个数组的形状与对应的参数相同。",
    # --- the mistakes' names, as the class's table lists them ---
    "1/n of the mean lost": "平均值的 1/n 丢了",
    "1/n of the mean taken twice": "平均值的 1/n 用了两次",
    "a mean where the loss sums": "损失求和却取了平均",
    "times the number of examples": "乘了样本数",
    "zeros": "全是零",
    "constant factor": "常数因子",
    "bias gradient not summed": "偏置的梯度没有对样本求和",
    "bias summed over the wrong axis": "偏置的梯度求和的轴不对",
    "bias summed over every axis": "偏置的梯度对所有轴都求了和",
    "{g} transposed": "{g} 转置了",
    "{g} missing an axis of length one": "{g} 少了一个长度为 1 的轴",
    "{g} with an extra axis of length one": "{g} 多了一个长度为 1 的轴",
    "gradients returned in another order": "梯度返回的顺序不对",
    "extra slope at the output": "输出层多乘了导数",
    "one-hot term missing": "漏掉了标签项",
    "1 subtracted at every class": "每一类都减了 1",
    "{where} slope missing": "{where}缺少导数",
    "{where} slope of z": "{where}的导数是对 z 求的",
    "{act2} slope at the output": "输出层用了 {act2} 的导数",
    "{act2} slope at the hidden layer": "隐藏层用了 {act2} 的导数",
    "{act2} slope at {where}": "{where}用了 {act2} 的导数",
    "relu mask of the gradient at the output": "输出层的 ReLU 掩码取自梯度",
    "relu mask of the gradient at the hidden layer": "隐藏层的 ReLU 掩码取自梯度",
    "relu mask of the gradient at {where}": "{where}的 ReLU 掩码取自梯度",
    "relu times a at the output": "输出层的 ReLU 导数写成了 a 本身",
    "relu times a at the hidden layer": "隐藏层的 ReLU 导数写成了 a 本身",
    "relu times a at {where}": "{where}的 ReLU 导数写成了 a 本身",
    "{g} has shape {got} at {label}, neither {w}'s {want} nor a known mistake's: it cannot be"
    " checked": (
        "{g} 在 {label} 的形状是 {got}，既不是 {w} 的 {want}，也不是已知错误的形状：无法"
        "检查"
    ),
    "{function} returned {what}: expected a tuple ({names}) (at {label})":
        "{function} 返回的是 {what}：应该是一个元组 ({names})（在 {label}）",
    "{g} is not an array of finite real numbers (at {label})":
        "{g} 不是由有限实数组成的数组（在 {label}）",
    "{function} raised {error}: {message} (at {label})":
        "{function} 抛出了 {error}：{message}（在 {label}）",
    "seed {seed}, sizes {sizes}, {n} examples": "种子 {seed}，大小 {sizes}，{n} 个样本",
    "layer {n}": "第 {n} 层",
    "seed {seed}, hidden weights x 8 (saturated), sizes {sizes}, {n} examples":
        "种子 {seed}，隐藏层权重乘以 8（饱和），大小 {sizes}，{n} 个样本",
}  # fmt: skip
