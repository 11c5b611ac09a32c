// Language consistency per part (issue 16): the share of words in the part's main language, as
// DeepSeek-R1's language-consistency reward counts it. Single everyday words count; terms, names,
// code and quotations of the prompt do not.
import { describe, expect, it } from "vitest";
import { analyzeLanguages } from "./language-mix";
import { computeSignals } from "./signals";

const consistency = (text: string, promptText = "") => analyzeLanguages(text, { promptText }).consistency;

describe("language consistency", () => {
  it("is 1 for a part in one language, and for code or no words at all", () => {
    expect(consistency("Okay, so the user wants a summary of the article. I should keep it short and clear.")).toBe(1);
    expect(consistency("def f(x): return x + 1")).toBe(1);
    expect(consistency("")).toBe(1);
  });

  it("drops for a single intruding word, which is a mixing span too (issue 16: real reviewers call it mixing)", () => {
    const text =
      "Let me think about this carefully. Wait, maybe the answer is 42. Hmm, 그 number seems right, so I will check it again.";
    const part = analyzeLanguages(text);
    expect(part.spans.map((s) => text.slice(s.start, s.end))).toEqual(["그"]);
    expect(part.consistency).toBeLessThan(1);
    expect(part.consistency).toBeGreaterThan(0.9);
    const chinese = "首先我们需要计算面积，然后 wait 再检查一下单位是否正确。";
    expect(analyzeLanguages(chinese).spans.map((s) => chinese.slice(s.start, s.end))).toEqual(["wait"]);
    expect(consistency(chinese)).toBeLessThan(1);
  });

  it("is the share of words in the main language when phrases switch", () => {
    const value = consistency("First, I need to check the units. 我们需要考虑 the safety implications, 然后 decide.");
    expect(value).toBeGreaterThan(0.4);
    expect(value).toBeLessThan(0.7);
  });

  it("leaves technical terms in another script out", () => {
    expect(
      consistency(
        "Сначала нужно проверить единицы измерения. Потом мы используем attention mechanism и смотрим на результат.",
      ),
    ).toBe(1);
  });

  it("is stored for both parts by computeSignals", () => {
    const signals = computeSignals({
      reasoning: "首先我们需要计算面积，然后 wait 再检查一下单位是否正确。",
      answer: "面积是十二平方米。",
      promptText: "面积是多少？",
      promptLanguage: "zh",
      expectedBehavior: "COMPLY",
      formatIssues: [],
    });
    expect(signals.reasoning!.consistency).toBeLessThan(1);
    expect(signals.answer.consistency).toBe(1);
    expect(signals.version).toBe(7);
  });
});

describe("the failure classes of issue 16's second pass", () => {
  const spans = (text: string) => analyzeLanguages(text).spans.map((s) => `${text.slice(s.start, s.end)}:${s.lang}`);

  it("Vietnamese is Vietnamese, not French, by its own letters; Vietnamese names in English are names", () => {
    const text = "Tôi nghĩ rằng đây là một ý tưởng hay, nhưng chúng ta cần 检查 lại kế hoạch trước khi bắt đầu.";
    expect(analyzeLanguages(text).dominant).toBe("vi");
    expect(spans(text)).toEqual(["检查:zh"]);
    expect(spans("Nguyễn Văn An and Đặng Thu Hà wrote the survey on machine translation.")).toEqual([]);
    // One Vietnamese letter is a borrowed word: "phở" in an English sentence.
    expect(analyzeLanguages("We had phở for lunch and then went back to the office.").dominant).toBe("en");
  });

  it("several one-word intrusions in one passage count together, rarer words beside an everyday one", () => {
    expect(spans("クリストファーは、アザラシの laughterと playfulnessに引かれ、海辺に行きました。")).toEqual([
      "laughter:en",
      "playfulness:en",
    ]);
    // Alone, a rarer lower-case word stays a term ("nullable な値").
    expect(spans("この関数は nullable な値を返すので、呼び出し側で確認してください。")).toEqual([]);
    // Far from the everyday word, it is judged alone.
    const far = `彼は softly 歌った。${"その後、部屋の中はとても静かになり、誰も何も話さなかった。".repeat(8)}最後に playfulness が残った。`;
    expect(spans(far)).toEqual(["softly:en"]);
  });

  it("programming-language names written in lower case are terms, even when they are everyday words", () => {
    expect(spans("我们可以用 python 写一个脚本，然后用 pandas 读取数据。")).toEqual([]);
  });
});

describe("the failure classes of issue 16's fourth pass (words split between scripts)", () => {
  const spans = (text: string) => analyzeLanguages(text).spans.map((s) => `${text.slice(s.start, s.end)}:${s.lang}`);

  it("one Cyrillic letter inside a Japanese word counts, in corner brackets too; a Greek letter is a symbol", () => {
    expect(spans("この説明は完全ではなく、再Ь確認が必要です。")).toEqual(["Ь:ru"]);
    expect(spans("昨日「ドラえもн」という映画を観ました。")).toEqual(["н:ru"]);
    expect(spans("角度θは三十度なので、高さはすぐに求められます。")).toEqual([]);
  });

  it("a word begun in Cyrillic and finished in kana is not a name", () => {
    expect(spans("旅行先には Токиоタワーや浅草などがあります。")).toEqual(["Токио:ru"]);
  });

  it("a katakana word finished in Latin letters, or an English ending on a Chinese character, counts", () => {
    expect(spans("新人向けにトレーningの機会を用意しましょう。")).toEqual(["ning:en"]);
    expect(spans("この地域は静かousで、住みやすい場所です。")).toEqual(["ous:en"]);
    // Terms start in Latin letters and take a Japanese noun or particle: not split words.
    expect(spans("requestsモジュールを使って、Pythonでデータを取得します。")).toEqual([]);
    // After a particle, a lower-case name in brackets stays a name.
    expect(spans("返信が届かないことがあります（特にezweb）。")).toEqual([]);
  });

  it("three Latin words without a function word are a term unless all are everyday words", () => {
    expect(spans("この longest common subsequence は二つの文字列に共通する部分です。")).toEqual([]);
    expect(spans("example phrases: against the wind(風に対して)、against the rules(規則に対して)")).toEqual([]);
  });
});

describe("the failure classes of issue 16's fifth pass (one word slipped out of a list or a language)", () => {
  const spans = (text: string) => analyzeLanguages(text).spans.map((s) => `${text.slice(s.start, s.end)}:${s.lang}`);

  it("one English item of a list of Japanese words counts, between commas or in corner brackets", () => {
    expect(spans("材料は、小麦粉、 hydration、卵、牛乳です。")).toEqual(["hydration:en"]);
    expect(spans("大切なのは「睡眠」「 hydration 」「運動」の三つだと言われています。")).toEqual(["hydration:en"]);
    // A list of names or identifiers keeps its Latin neighbours, or does not read as English words.
    expect(spans("ダンスやチュートリアル、DIY、vlogなどを共有できます。")).toEqual([]);
    expect(spans("ログは、stdout、stderr、ファイルに出力されます。")).toEqual([]);
    expect(spans("出力先は、stdout、ファイル、ソケットのどれかです。")).toEqual([]);
    // A lone bracketed English word is a label or a quotation, as before.
    expect(spans("アプリの「Reminders」を使って、毎日のタスクを管理できます。")).toEqual([]);
  });

  it("one lower-case word of another European language counts, with that language; English terms stay terms", () => {
    expect(spans("かなり難しい beispiel を見てみましょう。")).toEqual(["beispiel:de"]);
    expect(spans("この料理は本当に lecker です。")).toEqual(["lecker:de"]);
    // Five letters are too few to tell ("cache" would read as French).
    expect(spans("この料理は本当に bueno です。")).toEqual([]);
    expect(spans("我们先检查一下 cache 的配置，然后再部署。")).toEqual([]);
    expect(spans("使用 serializer 处理数据，然后返回结果。")).toEqual([]);
    expect(spans("この関数は nullable な値を返します。")).toEqual([]);
  });

  it("capitals inside a katakana word count; an acronym before a katakana word is an acronym", () => {
    expect(spans("有名な作家のマーガレット・アトWOッドの小説です。")).toEqual(["WO:en"]);
    expect(spans("アプリのAPIキーを設定します。")).toEqual([]);
    expect(spans("まずデータベースのURLーを確認します。")).toEqual([]);
  });

  it("an everyday word used in a Japanese clause counts even with a gloss after it; a gloss or a named word does not", () => {
    expect(spans("彼は物質的なwealth（富）よりも心の豊かさを大切にした。")).toEqual(["wealth:en"]);
    expect(spans("capacity（容量）は上限値です。")).toEqual([]);
    expect(spans("同じ地点 (location) であっても距離は異なります。")).toEqual([]);
    expect(spans("フランス語で「ありがとう」は merci と言います。")).toEqual([]);
    expect(spans("この文章を英訳すると、I am a cat となります。")).toEqual([]);
  });

  it("a word of another script named as a word in English is a mention; one inside the sentence is not", () => {
    expect(spans("The word さくら means cherry blossom, and it is used in many songs.")).toEqual([]);
    expect(spans("In Japanese, you can say ありがとう to thank someone.")).toEqual([]);
    expect(spans("Let me do a final状态 check on the tree and tests.")).toEqual(["状态:zh"]);
  });
});
