import React from 'react';

/** Each language named in itself, as a person looking for their own language would look for it. */
const LANGUAGES = [['fi', 'Suomi'], ['sv', 'Svenska'], ['en', 'English']] as const;

/**
 * The back-office's languages as plain links (on the login page and in the top bar): the same page
 * with ?lang=xx, which the language middleware keeps in the `kieli` cookie, so the choice lasts across
 * reloads and logins. A link, not a menu: reachable by Tab and Enter.
 */
const LanguageLinks: React.FC<{ label: string; style?: React.CSSProperties }> = ({ label, style }) => {
  const current = document.documentElement.lang;
  return (
    <nav aria-label={label} style={style}>
      <ul style={{ display: 'flex', gap: '12px', listStyle: 'none', padding: 0, margin: 0 }}>
        {LANGUAGES.map(([code, name]) => (
          <li key={code}>
            <a href={`?lang=${code}`} lang={code} hrefLang={code} aria-current={current === code ? 'true' : undefined} style={{ display: 'inline-block', minHeight: '24px', padding: '2px 0' }}>
              {name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
};

export default LanguageLinks;
