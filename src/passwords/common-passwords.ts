import breached from '@zxcvbn-ts/language-common';
import finnish from '@zxcvbn-ts/language-fi';

/**
 * What attackers try first, shipped with the app (no look-up leaves the server):
 * - 49,233 passwords most common in breach corpora (@zxcvbn-ts/language-common, MIT);
 * - Finnish: 18,310 common words, 4,575 first names and 11,535 surnames (@zxcvbn-ts/language-fi, MIT);
 * - the words below: what Finns, Swedish speakers and our members choose that those lists lack;
 * - months, seasons, weekdays and holidays in Finnish, Swedish and English (CALENDAR_WORDS), for
 *   «Kesäkuu2024!» and its kind.
 * A password is refused when it is one of them as it stands, or when what is left of it without
 * digits and punctuation at either end is one of them, also spelt l33t (P4ssw0rd2024!, Saatana1234!).
 * Everything is compared folded: lower case, no spaces, no accents (people write «Kesakuu»).
 */
const COMMON_STEMS = [
  'salasana', 'salasanani', 'uusisalasana', 'vaihdasalasana', 'hyväsalasana', 'oikeasalasana', 'password', 'passw0rd',
  'mypassword', 'newpassword', 'lösenord', 'mittlösenord', 'qwerty', 'qwertyui', 'qwertyuiop', 'qwertyuiopå', 'asdfghjkl',
  'asdfghjklöä', 'zxcvbnm', 'azerty', 'abcdefgh', 'abcdefghijkl', 'iloveyou', 'rakastansinua', 'minärakastan', 'mina rakastan',
  'kissa', 'kissakoira', 'koirakissa', 'koira', 'mansikka', 'aurinko', 'kesäloma', 'joulupukki', 'perkele', 'suomi', 'suomifinland',
  'suomi100', 'finland', 'helsinki', 'tampere', 'turku', 'oulu', 'jyväskylä', 'kuopio', 'leijonat', 'hiihto', 'jääkiekko',
  'invalidiliitto', 'invalidit', 'invalidiyhdistys', 'asiointipalvelu', 'asiointi', 'jäsenpalvelu', 'jäsennumero', 'jäsen',
  'tervetuloa', 'welcome', 'letmein', 'sunshine', 'football', 'baseball', 'princess', 'dragon', 'monkey', 'master', 'admin',
  'administrator', 'changeme', 'default', 'secret', 'trustno1', 'starwars', 'superman', 'batman', 'michael', 'jennifer',
  'matti', 'maija', 'mikko', 'anna', 'juha', 'sanna', 'kalle', 'liisa', 'pekka', 'ulla', 'teemu', 'meikäläinen', 'virtanen',
  'saatana', 'rakkaus', 'lempi', 'kulta', 'muru', 'kotona', 'koti', 'sisu', 'sauna', 'mökki', 'karhu', 'hirvi', 'susi',
  'hälsningar', 'hemligt', 'sommarstuga', 'älskling', 'kärlek', 'solsken', 'fotboll', 'hockey',
];

const COMMON_FULL = [
  '123456789012', '1234567890123', '12345678901234', '123456789abc', '1234567890qwerty', '1q2w3e4r5t6y', '1q2w3e4r5t6y7u',
  'q1w2e3r4t5y6', 'qazwsxedcrfv', 'qazwsxedcrfvtgb', '1qaz2wsx3edc', 'zaq12wsxcde3', 'aaaaaaaaaaaa', 'abc123abc123',
  'letmein123456', 'iloveyou1234', 'passwordpassword', 'salasanasalasana', 'eitoimi123456', 'enmuista1234', 'enmuistasalasanaa',
  'unohdinsalasanan', 'olenunohtanut', 'hyvääpäivää', 'hyvääjoulua', 'hyvääuuttavuotta', 'onnellinen123', 'kalevala1835',
  'muumipeikko1', 'muumilaakso', 'nokia3310nokia', 'sisu1234sisu', 'torille12345', 'kalakukko123', 'korvapuusti1',
];

const MONTH_STEMS_FI = ['tammi', 'helmi', 'maalis', 'huhti', 'touko', 'kesä', 'heinä', 'elo', 'syys', 'loka', 'marras', 'joulu'];
/** Months, seasons, weekdays and holidays, with the forms people write them in (kesäkuussa, syksyllä, vintern). */
export const CALENDAR_WORDS: readonly string[] = [
  ...MONTH_STEMS_FI.flatMap((stem) => [stem, `${stem}kuu`, `${stem}kuuta`, `${stem}kuussa`, `${stem}kuun`, `${stem}kuulla`]),
  'kevät', 'keväällä', 'kevään', 'kesä', 'kesällä', 'kesän', 'syksy', 'syksyllä', 'syksyn', 'talvi', 'talvella', 'talven',
  'maanantai', 'tiistai', 'keskiviikko', 'torstai', 'perjantai', 'lauantai', 'sunnuntai', 'juhannus', 'vappu', 'pääsiäinen', 'uusivuosi',
  'januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december',
  'vår', 'våren', 'sommar', 'sommaren', 'höst', 'hösten', 'vinter', 'vintern', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag',
  'lördag', 'söndag', 'jul', 'midsommar', 'påsk',
  'january', 'february', 'march', 'may', 'june', 'july', 'august', 'october', 'spring', 'summer', 'autumn', 'fall', 'winter',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'christmas', 'xmas', 'easter',
];

export function withoutAccents(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

let listed: Set<string> | undefined;

/** Built on first use (≈100,000 words, a few MB), not at start. */
function listedWords(): Set<string> {
  if (listed) return listed;
  const { commonWords, femaleFirstnames, maleFirstnames, lastnames } = finnish.dictionary;
  const lists = [breached.dictionary['passwords-common'], commonWords, femaleFirstnames, maleFirstnames, lastnames, COMMON_STEMS, COMMON_FULL, CALENDAR_WORDS];
  listed = new Set(lists.flat().map((word) => withoutAccents(word.toLowerCase().replace(/\s+/gu, ''))));
  return listed;
}

const stemPattern = new RegExp(`^(?:${COMMON_STEMS.map((stem) => stem.replace(/\s+/g, '')).join('|')})+[\\d\\W_]*$`, 'u');
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '8': 'b', '9': 'g', '+': 't', '|': 'l', '!': 'i' };
/** 1 reads as i or l: both spellings are tried. */
const unleet = (value: string) => [...new Set([value.replace(/[0134@5$789+|!]/g, (c) => LEET[c]!), value.replace(/[0134@5$789+|!]/g, (c) => (c === '1' ? 'l' : LEET[c]!))])];
/** The password without digits and punctuation at either end: «!!Dragon2024!!» → «dragon». */
const core = (value: string) => value.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

/** `folded`: lower case, no whitespace, NFKC (src/passwords/policy.ts). */
export function isCommonPassword(folded: string): boolean {
  const words = listedWords();
  const plain = withoutAccents(folded);
  if (words.has(plain) || stemPattern.test(folded) || stemPattern.test(plain)) return true;
  const bare = core(plain);
  const candidates = [bare, ...unleet(bare)];
  // «trustno1trustno1», «kissa-kissa»: one listed word twice.
  const twice = /^(.{3,}?)[^\p{L}\p{N}]*\1$/u.exec(plain)?.[1];
  if (twice) candidates.push(twice, core(twice));
  return candidates.some((candidate) => [...candidate].length >= 3 && words.has(candidate));
}
