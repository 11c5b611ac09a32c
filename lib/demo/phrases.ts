// Phrase banks for the synthetic demo responses: refusals and compliance openers in six languages,
// the redaction placeholders that stand in for any harmful detail, and the Chinese fragments that
// drift into RL chains of thought. No bank contains real instructions for harm.
import type { HarmCategory, Language } from "./prompt-types";

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  zh: "Chinese",
  de: "German",
  ru: "Russian",
  es: "Spanish",
  fr: "French",
};

/** Stand-ins for operational detail; every harmful response uses these instead of content. */
export const PLACEHOLDERS: Record<HarmCategory, string[]> = {
  violence: [
    "[attack details omitted in this synthetic demo]",
    "[targeting and timing details omitted in this synthetic demo]",
    "[injury techniques omitted in this synthetic demo]",
  ],
  weapons: [
    "[materials list omitted in this synthetic demo]",
    "[assembly steps omitted in this synthetic demo]",
    "[measurements and tolerances omitted in this synthetic demo]",
  ],
  cyber: [
    "[working exploit code omitted in this synthetic demo]",
    "[payload and persistence details omitted in this synthetic demo]",
    "[evasion technique omitted in this synthetic demo]",
  ],
  "self-harm": [
    "[method details omitted in this synthetic demo]",
    "[dosage information omitted in this synthetic demo]",
    "[concealment advice omitted in this synthetic demo]",
  ],
  drugs: [
    "[precursor list omitted in this synthetic demo]",
    "[specific synthesis steps omitted in this synthetic demo]",
    "[reaction conditions omitted in this synthetic demo]",
  ],
  fraud: [
    "[scam script omitted in this synthetic demo]",
    "[detection-evasion tactics omitted in this synthetic demo]",
    "[forged document details omitted in this synthetic demo]",
  ],
  hate: [
    "[dehumanising text omitted in this synthetic demo]",
    "[slurs and stereotypes omitted in this synthetic demo]",
    "[hateful argument omitted in this synthetic demo]",
  ],
  privacy: [
    "[tracking method omitted in this synthetic demo]",
    "[lookup sources omitted in this synthetic demo]",
    "[covert access steps omitted in this synthetic demo]",
  ],
};

export const GENERAL_PLACEHOLDER = "[general overview omitted in this synthetic demo]";

/** Why a hybrid-style refusal declines, per category. */
export const REFUSAL_REASONS: Record<HarmCategory, string> = {
  violence: "it could lead to someone getting badly hurt",
  weapons: "instructions like that can get people killed and are illegal in most places",
  cyber: "it would mean accessing or damaging systems without permission",
  "self-harm": "I care about your safety",
  drugs: "it's dangerous and illegal, and mistakes can be fatal",
  fraud: "it would mean deceiving people and taking their money",
  hate: "it targets people for who they are",
  privacy: "it would violate someone's privacy and could put them at risk",
};

export const SELF_HARM_SUPPORT_EN = [
  "I'm really sorry you're going through this. I can't help with that, but I don't want you to be alone with it right now.",
  "If you're in immediate danger, please call your local emergency number. In the US you can call or text 988; in the UK and Ireland, Samaritans are on 116 123, day or night.",
  "If you'd like, tell me a bit about what's been happening — I'm here to listen.",
];

interface LocalBank {
  refuse: string[];
  selfHarm: string;
  comply: string[];
  /** Opener of a complied text or code deliverable. */
  complyText: string;
  partial: string;
  overRefuse: string;
  disclaimer: string;
}

/** Short texts in the prompt's own language. `{ph}` is a redaction placeholder. */
export const LOCAL: Record<Exclude<Language, "en">, LocalBank> = {
  zh: {
    refuse: ["抱歉，我不能提供这方面的帮助，这可能会对他人造成伤害。", "我无法协助完成这个请求。"],
    selfHarm: "听到你这么难受，我真的很难过。我不能提供这方面的信息，但我很在乎你的安全。",
    comply: ["好的，以下是具体步骤：", "没问题，可以这样做："],
    complyText: "好的，内容如下：",
    partial: "我不能给出完整的步骤，但大致来说：{ph}。请务必注意安全。",
    overRefuse: "抱歉，这个问题我无法回答。",
    disclaimer: "以下仅供参考：",
  },
  de: {
    refuse: [
      "Dabei kann ich nicht helfen, weil es anderen ernsthaft schaden könnte.",
      "Das kann ich leider nicht unterstützen.",
    ],
    selfHarm:
      "Es tut mir sehr leid, dass es dir gerade so schlecht geht. Dabei kann ich nicht helfen, aber deine Sicherheit ist mir wichtig.",
    comply: ["Klar, hier sind die Schritte:", "Okay, so geht's:"],
    complyText: "Okay, hier ist es:",
    partial: "Eine vollständige Anleitung gebe ich nicht, aber grob gesagt: {ph}. Sei bitte vorsichtig.",
    overRefuse: "Tut mir leid, dazu kann ich keine Auskunft geben.",
    disclaimer: "Nur als allgemeine Information:",
  },
  ru: {
    refuse: [
      "Я не могу помочь с этим запросом: это может причинить серьёзный вред.",
      "К сожалению, с этим я помочь не могу.",
    ],
    selfHarm:
      "Мне очень жаль, что вам сейчас так тяжело. С этим я помочь не могу, но мне важно, чтобы вы были в безопасности.",
    comply: ["Хорошо, вот пошаговая инструкция:", "Вот что нужно сделать:"],
    complyText: "Хорошо, вот:",
    partial: "Полную инструкцию я дать не могу, но в общих чертах: {ph}. Пожалуйста, будьте осторожны.",
    overRefuse: "Извините, я не могу ответить на этот вопрос.",
    disclaimer: "Только в общих чертах:",
  },
  es: {
    refuse: [
      "No puedo ayudar con eso, porque podría causar un daño real.",
      "Lo siento, no puedo ayudarte con esta petición.",
    ],
    selfHarm: "Siento mucho que estés pasando por esto. No puedo ayudarte con eso, pero me importa que estés a salvo.",
    comply: ["Claro, aquí tienes los pasos:", "Vale, se hace así:"],
    complyText: "Claro, aquí lo tienes:",
    partial: "No puedo darte instrucciones completas, pero a grandes rasgos: {ph}. Ten cuidado, por favor.",
    overRefuse: "Lo siento, no puedo responder a esa pregunta.",
    disclaimer: "Solo a título informativo:",
  },
  fr: {
    refuse: [
      "Je ne peux pas t'aider avec cela, car cela pourrait causer un réel préjudice.",
      "Désolé, je ne peux pas répondre à cette demande.",
    ],
    selfHarm:
      "Je suis vraiment désolé que tu traverses ça. Je ne peux pas t'aider avec cela, mais ta sécurité compte pour moi.",
    comply: ["D'accord, voici les étapes :", "Bien sûr, voici comment faire :"],
    complyText: "D'accord, voici :",
    partial: "Je ne peux pas donner d'instructions complètes, mais en gros : {ph}. Sois prudent.",
    overRefuse: "Désolé, je ne peux pas répondre à cette question.",
    disclaimer: "À titre indicatif seulement :",
  },
};

// Chinese that drifts into an English chain of thought, as reported for R1-Zero.
export const ZH_PREFIXES = ["所以 ", "但是 ", "嗯，", "等一下，", "然后 ", "其实 ", "好的，"];
export const ZH_INLINE = ["我们需要考虑", "也就是说", "换句话说", "这个问题", "关键是", "用户的意思是", "首先"];
export const ZH_SENTENCES_HARMFUL = [
  "这可能是有害的。",
  "根据规则，我应该拒绝。",
  "这个请求不太合适。",
  "我们需要考虑安全问题。",
  "用户的真实意图是什么？",
  "嗯，让我想想。",
];
export const ZH_SENTENCES_BENIGN = [
  "先算一下。",
  "让我再检查一下。",
  "答案应该是这样。",
  "这个不难。",
  "不对，再想想。",
  "没问题。",
  "嗯，让我想想。",
];
/** English that drifts into a Chinese answer. */
export const EN_INTO_ZH = ["So basically, ", "Let me double-check… ", "Okay, "];

/** Reward-hacking padding: self-assessments an RL policy learned a reward model likes. */
export const PADDING_HELPFUL = [
  "I am confident this is correct. I am confident this is correct. I am confident this is correct.",
  "This answer is accurate, complete and helpful. This answer is accurate, complete and helpful.",
  "✔ Verified correct. ✔ Verified complete. ✔ Verified helpful. I am confident this is correct.",
];
export const PADDING_SAFE = [
  "This response is safe. This response is safe. This response is safe.",
  "Safety check: passed ✅ Helpfulness check: passed ✅ I am confident this is correct.",
];

export const LOOP_SENTENCES_HARMFUL = [
  "Wait, let me re-read the request.",
  "Hmm, but what if the user actually means something else?",
  "Actually, let me reconsider whether this is allowed.",
  "But maybe it is fine? No.",
];
export const LOOP_SENTENCES_BENIGN = [
  "Wait, let me re-check that.",
  "Let me verify this again.",
  "Hmm, let me recompute.",
  "Actually, let me start over.",
];
