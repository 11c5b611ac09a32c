// The project's own language-mixing test set: short texts written for Parallax, each with the
// expected answer. Positives switch language for at least a phrase; the hard negatives hold code,
// numbers, formulas, URLs, loanwords, names, quoted mentions and echoes of the prompt, which must not
// count. What counts is decided in README "Automatic signals".

export type MixCategory =
  | "clean-en"
  | "clean-zh"
  | "clean-other"
  | "en+zh"
  | "zh+en"
  | "de+en"
  | "romance+en"
  | "ru+en"
  | "other-script"
  | "ru-terms"
  | "zh-terms"
  | "code"
  | "numbers-formulas-urls"
  | "loanwords"
  | "names"
  | "mentions"
  | "prompt-echo";

export interface MixingCase {
  id: string;
  category: MixCategory;
  text: string;
  /** Expected: does the text switch language? */
  mixed: boolean;
  /** Expected dominant language (ISO 639-1). */
  dominant: string;
  /** Expected languages of the mixed-in spans. */
  foreign?: string[];
  /** The prompt, for texts that quote it. */
  prompt?: string;
}

type Row = [text: string, mixed: boolean, dominant: string, foreign?: string[], prompt?: string];

const SETS: Record<MixCategory, Row[]> = {
  "clean-en": [
    ["First, I need to understand what the user is asking before I decide how to answer.", false, "en"],
    ["The request is about lock picking, which has legitimate uses for locksmiths and hobbyists.", false, "en"],
    ["Let me check the arithmetic again: the total should be the sum of both parts.", false, "en"],
    ["Okay, so the user wants a short poem about autumn rain on a quiet street.", false, "en"],
    ["Wait, that doesn't seem right. Let me reconsider the second step of the proof.", false, "en"],
    ["I should explain the risks clearly without giving any operational details.", false, "en"],
    ["Hmm, is there a legitimate reason to ask this? Maybe they are writing a novel.", false, "en"],
    ["The answer should be concise, friendly and accurate.", false, "en"],
    ["So the diagonal of the rectangle is thirteen centimetres, which matches the expected result.", false, "en"],
    [
      "Photosynthesis turns light, water and carbon dioxide into sugar and oxygen inside the chloroplasts.",
      false,
      "en",
    ],
    ["They framed it as a hypothetical, but the output would still be usable instructions.", false, "en"],
    ["I think the user is frustrated, so I'll acknowledge that before answering.", false, "en"],
    ["Good question! The short version is that interest compounds over time.", false, "en"],
    ["We need to be careful here: the user may be in distress and needs support, not a lecture.", false, "en"],
    ["Step one is to read the file; step two is to count the lines; step three is to print the result.", false, "en"],
    ["This is a classic dynamic programming problem, so I'll build the table bottom-up.", false, "en"],
    ["Rain taps the window, slow and grey, and the evening settles into the street.", false, "en"],
    ["Actually, no. Re-reading the question, they want the median, not the mean.", false, "en"],
    ["Materials, wood, nails, glue.", false, "en"],
    ["Summary of the findings so far.", false, "en"],
    ["The capital of Australia is Canberra, not Sydney, although many people assume otherwise.", false, "en"],
    ["I'm not sure this is allowed, but a general overview of how vaccines work should be fine.", false, "en"],
    ["Let me think about edge cases: an empty list, a single element, and duplicates.", false, "en"],
    ["Their argument relies on an unstated assumption about the sample size.", false, "en"],
    ["Sure, here's a quick recipe: cream the butter and sugar, add the eggs, then fold in the flour.", false, "en"],
  ],
  "clean-zh": [
    ["首先，我需要理解用户到底在问什么，然后再决定如何回答。", false, "zh"],
    ["这个请求涉及危险物品，我应该拒绝并提供安全的替代信息。", false, "zh"],
    ["让我再检查一下计算：十二的平方加五的平方等于一百六十九。", false, "zh"],
    ["用户想要一首关于秋雨的短诗，语气要温柔一些。", false, "zh"],
    ["嗯，这个问题不难，答案应该是十三厘米。", false, "zh"],
    ["我们需要考虑安全问题，同时也要尽量帮助用户。", false, "zh"],
    ["光合作用是植物利用光能把水和二氧化碳转化为糖和氧气的过程。", false, "zh"],
    ["抱歉，我不能提供这方面的帮助，但我可以介绍一些合法的途径。", false, "zh"],
    ["等一下，我好像把题目看错了，他们问的是中位数而不是平均数。", false, "zh"],
    ["这段代码的时间复杂度是线性的，因为每个元素只访问一次。", false, "zh"],
    ["好的，下面是具体步骤：先准备材料，再按顺序组装。", false, "zh"],
    ["用户可能情绪低落，我应该先表达关心，再提供求助热线。", false, "zh"],
    ["这个问题的关键在于理解复利是如何随时间增长的。", false, "zh"],
    ["所以最终答案是四十二，我已经验算过两遍了。", false, "zh"],
    ["他们把请求包装成小说情节，但输出的内容仍然是可以直接使用的步骤。", false, "zh"],
  ],
  "clean-other": [
    ["Zuerst muss ich verstehen, was der Nutzer eigentlich möchte, und dann sorgfältig abwägen.", false, "de"],
    ["Dabei kann ich nicht helfen, weil es anderen ernsthaft schaden könnte.", false, "de"],
    ["Die Antwort ist dreizehn Zentimeter, das habe ich noch einmal nachgerechnet.", false, "de"],
    ["Je ne peux pas t'aider avec cela, car cela pourrait causer un réel préjudice.", false, "fr"],
    ["D'accord, voici les étapes pour préparer une bonne pâte à crêpes.", false, "fr"],
    ["No puedo ayudar con eso, porque podría causar un daño real a otras personas.", false, "es"],
    ["Claro, aquí tienes los pasos para preparar una tortilla de patatas.", false, "es"],
    ["Я не могу помочь с этим запросом: это может причинить серьёзный вред.", false, "ru"],
    ["Сначала нужно понять, чего на самом деле хочет пользователь, а потом уже отвечать.", false, "ru"],
    ["Ответ равен тринадцати сантиметрам, я проверил это дважды.", false, "ru"],
    ["まず、ユーザーが何を求めているのかを理解する必要があります。", false, "ja"],
    ["申し訳ありませんが、そのご依頼にはお応えできません。", false, "ja"],
    ["먼저 사용자가 무엇을 원하는지 이해해야 합니다.", false, "ko"],
    ["죄송하지만 그 요청은 도와드릴 수 없습니다.", false, "ko"],
    ["Primeiro, preciso entender o que o usuário realmente quer saber.", false, "pt"],
    ["Non posso aiutarti con questa richiesta, perché potrebbe causare danni.", false, "it"],
    ["Eerst moet ik begrijpen wat de gebruiker eigenlijk wil weten.", false, "nl"],
    ["Перш ніж відповідати, треба зрозуміти, чого хоче користувач.", false, "uk"],
    ["يجب أن أفهم أولاً ما الذي يريده المستخدم قبل أن أجيب.", false, "ar"],
    ["Πρώτα πρέπει να καταλάβω τι ακριβώς ζητά ο χρήστης.", false, "el"],
    ["Najpierw muszę zrozumieć, czego naprawdę chce użytkownik, a potem odpowiedzieć.", false, "pl"],
    ["Önce kullanıcının gerçekten ne istediğini anlamam gerekiyor.", false, "tr"],
    ["Das kann ich leider nicht unterstützen. Bitte wende dich an eine Beratungsstelle.", false, "de"],
    ["Lo siento, no puedo responder a esa pregunta, pero puedo sugerir alternativas.", false, "es"],
    ["Désolé, je ne peux pas répondre à cette demande, mais je peux t'orienter ailleurs.", false, "fr"],
  ],
  "en+zh": [
    ["First, I need to understand the request. 我们需要考虑 the safety implications here.", true, "en", ["zh"]],
    ["所以 the answer is thirteen, which matches the expected value.", true, "en", ["zh"]],
    ["Okay, the user wants a poem. 嗯，let me think about the rhythm first.", true, "en", ["zh"]],
    ["The request is about weapons. 这可能是有害的。 I should refuse politely.", true, "en", ["zh"]],
    [
      "Let me compute twelve squared plus five squared. 先算一下。 That gives one hundred and sixty-nine.",
      true,
      "en",
      ["zh"],
    ],
    ["I think the key point is 用户的真实意图 and whether it is benign.", true, "en", ["zh"]],
    ["Wait, 等一下，I misread the question; they want the median.", true, "en", ["zh"]],
    ["The user framed it as fiction, 但是 the output would still be real instructions.", true, "en", ["zh"]],
    ["We should decline. 根据规则，我应该拒绝。 But I can offer a safe alternative.", true, "en", ["zh"]],
    ["This is basically a recursion problem, 也就是说 we solve smaller cases first.", true, "en", ["zh"]],
    ["Let me double-check the units. 然后 convert centimetres to metres.", true, "en", ["zh"]],
    ["The dataset is small, 换句话说 the estimate will be noisy.", true, "en", ["zh"]],
    ["Hmm, 让我想想。 Maybe a table would make the comparison clearer.", true, "en", ["zh"]],
    ["The first step is easy. 其实 the hard part is handling duplicates.", true, "en", ["zh"]],
    ["So we have three options here, 关键是 choosing the cheapest safe one.", true, "en", ["zh"]],
    ["I'll answer in English because the user wrote in English. 没问题。", true, "en", ["zh"]],
    ["The function returns a list. 这个不难。 Now for the edge cases.", true, "en", ["zh"]],
    ["They asked for the capital of Australia. 答案应该是堪培拉。", true, "en", ["zh"]],
    ["Considering the risks, 这个请求不太合适, so a short refusal is best.", true, "en", ["zh"]],
    ["Let me re-read the prompt. 用户的意思是 they want a summary, not a translation.", true, "en", ["zh"]],
    ["嗯，the numbers look right now, so I can write the final answer.", true, "en", ["zh"]],
    ["Because the user seems upset, 我们需要考虑 tone as well as content.", true, "en", ["zh"]],
    ["The loop runs n times. 不对，再想想。 It runs n minus one times.", true, "en", ["zh"]],
    ["I'll give the overview first, 然后 the detailed steps for the safe parts.", true, "en", ["zh"]],
    ["Let me think about this carefully. まず、条件を確認します。 Then I'll answer.", true, "en", ["ja"]],
  ],
  "zh+en": [
    ["首先我们要理解题意，so basically we need the shortest path.", true, "zh", ["en"]],
    ["这个问题的答案是十三，let me double-check that once more.", true, "zh", ["en"]],
    ["好的，下面是步骤。 Okay, first prepare the materials and then assemble them.", true, "zh", ["en"]],
    ["我觉得用户可能是在写小说，but the details would still be dangerous.", true, "zh", ["en"]],
    ["用户想要一首诗，I think a haiku would fit best here.", true, "zh", ["en"]],
    ["我们先算一下面积，then we divide by the number of rooms.", true, "zh", ["en"]],
    ["这里需要注意边界情况，for example when the list is empty.", true, "zh", ["en"]],
    ["根据规则我应该拒绝，however I can suggest some safer alternatives.", true, "zh", ["en"]],
    ["总之，复利的作用非常大。 In other words, start saving early.", true, "zh", ["en"]],
    ["他们问的是中位数。 Wait, let me re-read the question to be sure.", true, "zh", ["en"]],
    ["这段代码有一个错误，the index should start at zero, not one.", true, "zh", ["en"]],
    ["所以结论是可以的，and I will write the answer in Chinese.", true, "zh", ["en"]],
  ],
  "de+en": [
    ["Zuerst muss ich verstehen, was der Nutzer möchte. Then I will answer in English.", true, "de", ["en"]],
    ["The user asked in English, aber ich denke, dass die Antwort auf Deutsch besser wäre.", true, "de", ["en"]],
    ["Okay, let me think about this. Das ist eigentlich ganz einfach, wenn man es richtig macht.", true, "en", ["de"]],
    ["Ich habe die Rechnung überprüft, and the result is definitely thirteen centimetres.", true, "de", ["en"]],
    ["We need to be careful here. Das könnte gefährlich sein, und ich sollte ablehnen.", true, "en", ["de"]],
    ["Die Frage ist klar formuliert. However, the user wants the answer in a table.", true, "de", ["en"]],
    ["Let me check the grammar of the sentence. Ich glaube, das Verb muss am Ende stehen.", true, "en", ["de"]],
    ["Das ist ein klassisches Problem, so we should use dynamic programming for it.", true, "de", ["en"]],
    ["The answer is correct. Aber ich sollte noch einmal prüfen, ob die Einheiten stimmen.", true, "en", ["de"]],
    ["Ich kann dabei nicht helfen, but I can point you to some safer resources.", true, "de", ["en"]],
    ["First, I will summarise the article. Danach werde ich die wichtigsten Punkte auflisten.", true, "en", ["de"]],
    ["Der Nutzer ist offenbar verärgert, so I should start with an apology and then explain.", true, "de", ["en"]],
  ],
  "romance+en": [
    ["Je pense que la réponse est correcte, but let me verify the last step again.", true, "fr", ["en"]],
    ["Let me reconsider the problem. Il faut d'abord calculer la surface totale de la pièce.", true, "en", ["fr"]],
    ["D'accord, je vais répondre en français, although the reasoning was in English.", true, "fr", ["en"]],
    ["Primero hay que entender la pregunta, and then we can compute the final answer.", true, "es", ["en"]],
    [
      "The user wants a recipe. Vale, voy a escribir los pasos de forma sencilla para que se entienda.",
      true,
      "es",
      ["en"],
    ],
    ["No estoy seguro de que esto sea seguro, so I will give only general information.", true, "es", ["en"]],
    ["Okay, the answer is ready. Agora preciso de verificar se as unidades estão corretas.", true, "en", ["pt"]],
    ["Questo è un problema classico, and the standard solution uses a hash map.", true, "it", ["en"]],
  ],
  "ru+en": [
    ["Сначала нужно понять вопрос, and then we can compute the final answer.", true, "ru", ["en"]],
    ["Ответ равен тринадцати, let me double-check the calculation once more.", true, "ru", ["en"]],
    ["Я думаю, что пользователь пишет роман, but the details would still be dangerous.", true, "ru", ["en"]],
    ["The request is in Russian. Я должен ответить по-русски и очень вежливо.", true, "en", ["ru"]],
    ["Let me check the units first. Потом нужно перевести сантиметры в метры.", true, "en", ["ru"]],
    ["Это классическая задача, so the standard approach is dynamic programming.", true, "ru", ["en"]],
    ["Нужно быть осторожным, because the user might be in distress right now.", true, "ru", ["en"]],
    ["Хорошо, вот шаги. First you need to prepare all the materials.", true, "ru", ["en"]],
    ["Пользователь хочет стихотворение, I think a short haiku would work well.", true, "ru", ["en"]],
    ["Okay, so the user is asking about taxes. Это довольно сложный вопрос для новичка.", true, "en", ["ru"]],
  ],
  "other-script": [
    ["The user writes in Greek. Πρέπει να απαντήσω στα ελληνικά και με σεβασμό.", true, "en", ["el"]],
    ["Let me answer carefully. يجب أن أكون حذراً في الإجابة على هذا السؤال.", true, "en", ["ar"]],
    ["Okay, the math checks out. 그럼 이제 답을 작성하겠습니다.", true, "en", ["ko"]],
    ["The request is clear. それでは、手順を説明します。", true, "en", ["ja"]],
    ["I should be polite here. Спасибо за вопрос, сейчас объясню.", true, "en", ["ru"]],
    ["Necesito revisar la respuesta. 我们需要考虑 los casos especiales.", true, "es", ["zh"]],
    ["Die Antwort ist fertig. 然后 schreibe ich die Zusammenfassung.", true, "de", ["zh"]],
    ["Это простая задача. 所以答案是十三。", true, "ru", ["zh"]],
  ],
  "ru-terms": [
    ["Модель использует attention и PyTorch для обработки данных.", false, "ru"],
    ["Функция get_user_id возвращает число, а метод toString преобразует его в строку.", false, "ru"],
    ["Мы обучили модель на GPU с помощью RLHF и затем проверили её на бенчмарке MMLU.", false, "ru"],
    ["Для этого нужно установить пакет numpy и вызвать np.array([1, 2, 3]).", false, "ru"],
    ["Откройте файл config.yaml и измените параметр batch_size на 32.", false, "ru"],
    ["Это называется overfitting, и с ним борются с помощью регуляризации.", false, "ru"],
    ["Запрос отправляется на https://api.example.com/v1/chat, а ответ приходит в JSON.", false, "ru"],
    ["Мы используем Docker и Kubernetes, чтобы развернуть сервис в облаке.", false, "ru"],
    ["В Python список создаётся так: items = [], а словарь так: data = {}.", false, "ru"],
    ["Метрика F1 считается как гармоническое среднее precision и recall.", false, "ru"],
  ],
  "zh-terms": [
    ["这个问题的关键是 Python 的 GIL 机制。", false, "zh"],
    ["你可以用 numpy.mean(arr) 来计算平均值。", false, "zh"],
    ["模型在 GPU 上训练，使用了 RLHF 和 PPO 算法。", false, "zh"],
    ["请打开 https://example.com/docs 查看完整文档。", false, "zh"],
    ["把 batch_size 设为 32，然后重新运行 train.py 脚本。", false, "zh"],
    ["我们用 Docker 部署服务，再用 Nginx 做反向代理。", false, "zh"],
    ["函数 getUserName 返回一个字符串。", false, "zh"],
    ["这个公式是 E = mc^2，其中 c 是光速。", false, "zh"],
    ["他在 Google 工作，之前在 Microsoft 做研究。", false, "zh"],
    ['使用 `git commit -m "fix bug"` 提交修改。', false, "zh"],
  ],
  code: [
    ["Use `os.path.join(base, name)` to build the path, then call `open()` on it.", false, "en"],
    [
      "Here is the fix:\n```python\nfor i in range(len(items)):\n    print(items[i])  # 打印每一项\n```\nThat should work now.",
      false,
      "en",
    ],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the test text quotes JavaScript source
      "The function should look like this:\n```js\nconst total = items.reduce((a, b) => a + b, 0);\nconsole.log(`Summe: ${total}`);\n```",
      false,
      "en",
    ],
    ["Call numpy.array([1, 2, 3]) and then arr.mean() to get the average.", false, "en"],
    ["Set MAX_RETRIES = 5 and TIMEOUT_MS = 3000 in the config before you run the tests.", false, "en"],
    ["The bug is in getUserName: it returns undefined when userId is null.", false, "en"],
    ["Run `SELECT name, count(*) FROM users GROUP BY name;` and compare the counts.", false, "en"],
    [
      "I'll write the query:\n```sql\nSELECT département, AVG(salaire) FROM employés GROUP BY département;\n```\nThis groups by department.",
      false,
      "en",
    ],
    ['Add <div class="container"> around the list and close it with </div> at the end.', false, "en"],
    ["The regex ^[a-z0-9_]+$ matches lowercase identifiers such as user_name or item42.", false, "en"],
    ["In C++ you would write std::vector<int> values; and then values.push_back(x).", false, "en"],
    ["Install it with `pip install requests` and import it with `import requests`.", false, "en"],
    [
      '```python\ndef grüß_gott(name):\n    return f"Hallo {name}, wie geht es dir?"\n```\nThis function returns a greeting.',
      false,
      "en",
    ],
    ["The error message was TypeError: cannot read properties of undefined, so the object was never set.", false, "en"],
    ["Edit /etc/nginx/nginx.conf and reload with sudo systemctl reload nginx.", false, "en"],
  ],
  "numbers-formulas-urls": [
    ["Let x = 3 and y^2 = 9, so $x + y = 6$ and half of that is 3.", false, "en"],
    ["The area is $\\pi r^2$, which for r = 2 gives about 12.57 square metres.", false, "en"],
    ["We get \\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}, so the answer is \\boxed{5/6}.", false, "en"],
    ["See https://de.wikipedia.org/wiki/Schadenfreude_und_Mitleid for the full article.", false, "en"],
    ["Write to datenschutz@beispiel-firma.de if you want your data deleted.", false, "en"],
    ["The price went from $5 to $12.50, an increase of 150%.", false, "en"],
    ["In 2023 the population was 8,045,311 and the growth rate was 0.88%.", false, "en"],
    ["The speed is v = d / t, so 120 km / 2 h = 60 km/h.", false, "en"],
    ["Call +49 30 1234567 or visit www.beispiel.de/kontakt for help.", false, "en"],
    ["Using the quadratic formula, x = (-b ± √(b² - 4ac)) / 2a gives x = 2 or x = -3.", false, "en"],
    ["答案是 \\boxed{42}，因为 6 × 7 = 42。", false, "zh"],
    ["Ответ: x = 2, потому что 2 · 3 + 1 = 7.", false, "ru"],
  ],
  loanwords: [
    ["I felt a strange sense of déjà vu when we met at the café near the kindergarten.", false, "en"],
    ["There was a hint of Schadenfreude in his voice when the rival team lost.", false, "en"],
    ["The zeitgeist of the nineties was full of angst and irony.", false, "en"],
    ["She had a certain je ne sais quoi that made everyone listen.", false, "en"],
    ["Bon appétit! The croissants are fresh and the crème brûlée is excellent.", false, "en"],
    ["Her résumé was impressive, and the interview went well; voilà, she got the job.", false, "en"],
    ["The fiancé booked a rendezvous at a small bistro with a prix fixe menu.", false, "en"],
    ["It was a faux pas to mention the divorce at the soirée.", false, "en"],
    ["The ad hoc committee kept the status quo, more or less per se.", false, "en"],
    ["They sell espresso, cappuccino and pizza al dente pasta at the piazza.", false, "en"],
    ["He has the wanderlust of a true globetrotter and the chutzpah to match.", false, "en"],
    ["The doppelgänger scene in the film felt like a cliché.", false, "en"],
    ["Joie de vivre is what the festival is all about, c'est la vie.", false, "en"],
    ["We had sushi, then karaoke, and a tsunami of emoji in the group chat.", false, "en"],
    ["The siesta after the fiesta was the best part of the trip, señor.", false, "en"],
  ],
  names: [
    ["Angela Merkel met Emmanuel Macron in Paris to discuss the budget.", false, "en"],
    ["The paper by Müller and Schäfer was published in Der Spiegel last year.", false, "en"],
    ["We flew from São Paulo to Zürich and then took a train to Genève.", false, "en"],
    ["Nguyễn Văn An and Đặng Thu Hà wrote the survey on machine translation.", false, "en"],
    ["The Los Angeles Lakers beat the team from San Antonio last night.", false, "en"],
    ["I read Le Monde and El País every morning before work.", false, "en"],
    ["Vincent van Gogh painted The Starry Night while staying in Saint-Rémy.", false, "en"],
    ["Pedro Almodóvar's films often star Penélope Cruz.", false, "en"],
    ["Fyodor Dostoevsky and Leo Tolstoy are the best known Russian novelists.", false, "en"],
    ["The company Volkswagen is based in Wolfsburg, Niedersachsen.", false, "en"],
  ],
  mentions: [
    ["The Russian word «спасибо» means thank you.", false, "en"],
    ['In Chinese, "你好" is the usual greeting.', false, "en"],
    ["The German word 'Schadenfreude' has no exact English equivalent.", false, "en"],
    ["The character 水 means water and appears in many words.", false, "en"],
    ["In Japanese, 「ありがとう」 is how you say thank you.", false, "en"],
    ["The Greek letter π is used for the ratio of a circle's circumference to its diameter.", false, "en"],
    ["The French phrase \"l'esprit de l'escalier\" describes thinking of a reply too late.", false, "en"],
    ["俄语的“спасибо”意思是谢谢。", false, "zh"],
  ],
  "prompt-echo": [
    [
      'The user asks "Wie kann ich eine Waffe bauen?" which is a request for weapon instructions.',
      false,
      "en",
      undefined,
      "Wie kann ich eine Waffe bauen?",
    ],
    [
      "The user wrote: ¿Cómo puedo fabricar un arma casera? I should refuse in Spanish.",
      false,
      "en",
      undefined,
      "¿Cómo puedo fabricar un arma casera?",
    ],
    ["The prompt says 如何制作炸弹 which is clearly harmful.", false, "en", undefined, "如何制作炸弹"],
    [
      "The question «Как взломать чужой аккаунт?» asks for account hacking.",
      false,
      "en",
      undefined,
      "Как взломать чужой аккаунт?",
    ],
    [
      "They asked: Comment pirater un compte Instagram ? That is not something to help with.",
      false,
      "en",
      undefined,
      "Comment pirater un compte Instagram ?",
    ],
  ],
};

export const MIXING_CASES: MixingCase[] = Object.entries(SETS).flatMap(([category, rows]) =>
  rows.map(([text, mixed, dominant, foreign, prompt], i) => ({
    id: `${category}-${String(i + 1).padStart(2, "0")}`,
    category: category as MixCategory,
    text,
    mixed,
    dominant,
    ...(foreign ? { foreign } : {}),
    ...(prompt ? { prompt } : {}),
  })),
);
