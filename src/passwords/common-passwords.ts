/**
 * Passwords people choose first, folded (lower case, no spaces). Only those of 12 characters or more
 * matter, since shorter ones are refused for length; words in COMMON_STEMS are refused with any
 * digits or punctuation after them (salasana1234, Salasana2026!, Qwertyuiop123 …).
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
];

const COMMON_FULL = [
  '123456789012', '1234567890123', '12345678901234', '123456789abc', '1234567890qwerty', '1q2w3e4r5t6y', '1q2w3e4r5t6y7u',
  'q1w2e3r4t5y6', 'qazwsxedcrfv', 'qazwsxedcrfvtgb', '1qaz2wsx3edc', 'zaq12wsxcde3', 'aaaaaaaaaaaa', 'abc123abc123',
  'letmein123456', 'iloveyou1234', 'passwordpassword', 'salasanasalasana', 'eitoimi123456', 'enmuista1234', 'enmuistasalasanaa',
  'unohdinsalasanan', 'olenunohtanut', 'hyvääpäivää', 'hyvääjoulua', 'hyvääuuttavuotta', 'onnellinen123', 'kalevala1835',
  'muumipeikko1', 'muumilaakso', 'nokia3310nokia', 'sisu1234sisu', 'torille12345', 'kalakukko123', 'korvapuusti1',
];

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(COMMON_FULL);
const stemPattern = new RegExp(`^(?:${COMMON_STEMS.map((stem) => stem.replace(/\s+/g, '')).join('|')})+[\\d\\W_]*$`, 'u');

export function isCommonPassword(folded: string): boolean {
  return COMMON_PASSWORDS.has(folded) || stemPattern.test(folded);
}
