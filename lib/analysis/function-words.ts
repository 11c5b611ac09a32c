// Function words of the languages most often seen in model output (and well-known loanwords):
// the fast, allocation-free vote that decides the language of most Latin and Cyrillic clauses
// without asking the language identifier (see README "Automatic signals").

/** Languages that have a function-word list; the index is the bit in a word's mask. */
export const VOTING_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "bg"] as const;
export type VotingLanguage = (typeof VOTING_LANGUAGES)[number];

const WORDS: Record<VotingLanguage, string> = {
  en: `the of and to in is that it for on with as was be by this are or from at an but not have has had they you we
    he she his her their its which will would can could should there what so if about more when who do does did been
    were than then them these those some into only other also how may might must our your my me us him any all just
    because while where why here very no yes let need want now well out up same such each being both own over after
    before through between under again still even most much many few whether though although since until without
    within whatever ok okay maybe probably actually really something anything nothing everything someone anyone
    wait hmm however therefore thus which whose whom shall cannot per plus come son am um man er war hat ha`,
  de: `der die das und ist nicht ein eine einen einem einer eines zu den dem des mit sich auf für von es sie wir ich du
    er ihr wie auch als bei nach aus wenn dass daß oder aber noch nur kann können muss müssen soll sollte sollen wird
    werden wurde sind hat haben habe bin war sein seine mein meine dein kein keine keinen nichts schon hier dann doch
    mal sehr mehr jetzt über unter zum zur vom beim im ins am um durch gegen ohne zwischen weil damit also was so an
    in man diese dieser dieses diesem welche welcher etwas immer wieder gibt geht gut ja nein vielleicht eigentlich
    zuerst dabei dazu leider bitte möchte würde hier uns euch ihnen ihm ihn dich mich mir dir einfach denn sondern
    will da du`,
  fr: `le la les un une des du de et est sont pas ne avec pour dans sur nous vous mais ou par plus ce cette ces je il
    elle ils elles être avoir fait peut peux tout tous toute très aussi comme leur leurs même sans bien encore quand
    moi toi lui qui que quoi au aux été était ça cela ceci donc alors oui non se sa son ses mon ma mes ton ta tes en
    y a on si faire dois doit veux voici voilà désolé parce puis avant après chez entre vers déjà ici là vais va vont
    fais font suis sommes êtes ai avons avez ont peu rien jamais toujours beaucoup`,
  es: `el la los las de del que en un una unos unas es por para con no se su sus lo le les al como más pero este esta
    esto estos estas ese esa eso hay muy ya también porque cuando donde qué cómo sí si sin sobre entre hasta desde
    todo todos toda puede puedo ser está están son tiene hacer mi mis tu tus yo nos usted ustedes ella él aquí así
    pues cada otro otra mismo algo nada tengo necesito siento gracias claro vale me te`,
  it: `il lo la le gli di del della dei delle che non per un una uno con da in su come ma anche più questo questa
    questi quello quella sono essere ha hanno ho può posso fare molto tutto tutti perché quando dove cosa se si mi ti
    ci vi ne nel nella nei al alla allo dal dalla sul sulla già ancora sempre solo ogni altro altra io lui lei noi
    voi loro mio tuo suo grazie dispiace ecco bene qui`,
  pt: `os as um uma uns umas de do da dos das em no na nos nas que não por para com se mais mas como muito também ou
    isso isto esse essa este esta ele ela eles elas eu você vocês nós seu sua meu minha ser está estão são tem têm
    pode posso fazer quando onde porque já ainda sempre só aqui então sobre entre até sem desculpe obrigado aos pelo
    pela num numa lhe me te`,
  nl: `de het een en van in is dat op te zijn met voor niet aan er die dit maar om ook als bij of dan nog wat naar kan
    wordt worden door hij zij ze wij we jij je ik mijn uw hun haar ons onze was werd heeft hebben heb zou moet moeten
    kunnen geen meer al wel nu hier daar zo hoe waarom wanneer waar omdat tot uit over na tegen zonder alleen veel
    iets niets alles deze welke helaas ja`,
  ru: `и в не на я что он с как а то все всё она так его но да ты к у же вы за бы по только ее её мне было вот от меня
    еще ещё нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас вам ведь там потом себя ничего
    ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без чего раз тоже себе под будет тогда кто
    этот того потому этого какой совсем здесь этом один почти мой тем чтобы сейчас были куда зачем всех никогда
    можно при об после над больше тот через эти нас про всего них много разве эту моя хорошо свою этой перед лучше
    том нельзя такой им более всегда конечно между это очень также который которая которые которых сначала нужно
    должен могу извините сожалению`,
  uk: `і й та що не на в у з до як це але я ти він вона ми ви вони його її їх був була було бути є для від або чи якщо
    коли вже ще тому також дуже можна треба цей ця ці який яка які свій себе тут там де все всі мене мені тобі нам
    вам після через між над під про без би щоб тільки лише може буде мною нього неї цього цієї потрібно спочатку
    вибачте жаль`,
  bg: `и в на не за да се от с че са е то по към като това но ще ли си има съм той тя те ние вие аз му ги го ни ви
    беше бъде или след при до през който която които какво къде кога защо много още само вече тук там един една
    едно нещо нищо всичко трябва може мога съжалявам`,
};

/** Well-known loanwords in English (and phrases), never evidence of another language. */
export const LOANWORDS = `café cafe cafés kindergarten schadenfreude zeitgeist wanderlust angst kitsch doppelgänger
  doppelganger gesundheit realpolitik weltanschauung leitmotif poltergeist rucksack wunderkind ersatz uber über
  déjà deja vu naïve naive naïveté fiancé fiancée cliché résumé resume entrée façade facade soirée protégé
  rendezvous genre ballet bouquet boutique chauffeur connoisseur cuisine débris debris décor decor élite
  encore ennui etiquette fiasco gourmet lingerie matinée mélange menu panache pastiche première risqué sauté
  touché vis-à-vis tête-à-tête bon appétit appetit voilà voila raison d'être coup d'état état détente
  entrepreneur avant-garde bourgeois carte blanche laissez-faire joie de vivre savoir-faire faux pas pas
  je ne sais quoi c'est la vie crème brûlée fait accompli nouveau riche piñata jalapeño jalapeno señor
  siesta fiesta plaza patio bonanza aficionado macho guerrilla pronto tortilla salsa nada adiós adios
  fiasco pasta pizza espresso cappuccino latte al dente paparazzi piano opera libretto graffiti bravo ciao
  incognito dolce vita prima donna tsunami karaoke sushi emoji anime manga tofu zen kung fu yin yang
  et cetera etc ad hoc per se status quo vice versa bona fide de facto ad nauseam carpe diem alma mater
  mea culpa quid pro quo a priori a posteriori in situ in vitro in vivo pro bono sic verbatim versus vs
  amen apartheid safari yoga guru karma mantra nirvana pundit avatar`;

/**
 * Loanword phrases that contain other languages' function words. They are blanked out before a
 * clause is split word by word, so "je ne sais quoi" in English never reads as French.
 */
export const LOANWORD_PHRASES = [
  "déjà vu",
  "deja vu",
  "je ne sais quoi",
  "joie de vivre",
  "c'est la vie",
  "raison d'être",
  "coup d'état",
  "bon appétit",
  "bon appetit",
  "carte blanche",
  "faux pas",
  "fait accompli",
  "nouveau riche",
  "savoir-faire",
  "laissez-faire",
  "crème brûlée",
  "vis-à-vis",
  "tête-à-tête",
  "pièce de résistance",
  "crème de la crème",
  "hasta la vista",
  "que sera sera",
  "mi casa es su casa",
  "dolce vita",
  "al dente",
  "prima donna",
  "et cetera",
  "ad hoc",
  "per se",
  "status quo",
  "vice versa",
  "bona fide",
  "de facto",
  "carpe diem",
  "alma mater",
  "mea culpa",
  "quid pro quo",
  "a priori",
  "in situ",
  "in vitro",
  "in vivo",
  "pro bono",
  "über alles",
  "the zeitgeist",
  "film noir",
  "art nouveau",
  "à la carte",
  "a la carte",
  "à la mode",
  "en route",
  "en masse",
  "par excellence",
  "du jour",
  "soup du jour",
  "cordon bleu",
  "haute couture",
  "noblesse oblige",
];

/** Lower-cases one UTF-16 code unit the way the scanner does (ASCII, Latin-1, basic Cyrillic). */
export function lowerCode(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c | 0x20;
  if (c < 0xc0) return c;
  if ((c >= 0xc0 && c <= 0xde && c !== 0xd7) || (c >= 0x410 && c <= 0x42f)) return c + 0x20;
  if (c >= 0x400 && c <= 0x40f) return c + 0x50;
  return c;
}

/** FNV-1a over lower-cased code units: the scanner computes it while reading a word. */
export function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ lowerCode(word.charCodeAt(i)), 0x01000193);
  return h >>> 0;
}

const TABLE_BITS = 13;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

/**
 * Word hash → bit mask of the languages it is a function word of, as an open-addressing table in
 * typed arrays: a lookup per word must cost next to nothing.
 */
class FunctionWordTable {
  private readonly keys = new Int32Array(1 << TABLE_BITS);
  private readonly masks = new Uint16Array(1 << TABLE_BITS);

  add(hash: number, bit: number) {
    let slot = hash & TABLE_MASK;
    while (this.masks[slot] !== 0 && this.keys[slot] !== (hash | 0)) slot = (slot + 1) & TABLE_MASK;
    this.keys[slot] = hash | 0;
    this.masks[slot]! |= 1 << bit;
  }

  /** The mask of the word with this hash, 0 for a word on no list. */
  get(hash: number): number {
    let slot = hash & TABLE_MASK;
    for (;;) {
      const mask = this.masks[slot]!;
      if (mask === 0) return 0;
      if (this.keys[slot] === (hash | 0)) return mask;
      slot = (slot + 1) & TABLE_MASK;
    }
  }
}

function buildTable(): FunctionWordTable {
  const table = new FunctionWordTable();
  VOTING_LANGUAGES.forEach((language, bit) => {
    for (const word of WORDS[language].split(/\s+/)) if (word) table.add(wordHash(word), bit);
  });
  return table;
}

export const FUNCTION_WORDS: FunctionWordTable = buildTable();

/** Hashes of single loanwords (the words of loanword phrases included). */
export const LOANWORD_HASHES: Set<number> = new Set(
  LOANWORDS.split(/\s+/)
    .filter((w) => w && !w.includes(" "))
    .map(wordHash),
);

/** The longest function word, in code units: longer words are not looked up. */
export const MAX_FUNCTION_WORD_LENGTH = 10;

export const LATIN_VOTING = ["en", "de", "fr", "es", "it", "pt", "nl"].map((l) =>
  VOTING_LANGUAGES.indexOf(l as VotingLanguage),
);
export const CYRILLIC_VOTING = ["ru", "uk", "bg"].map((l) => VOTING_LANGUAGES.indexOf(l as VotingLanguage));
export const EN_BIT = 0;
