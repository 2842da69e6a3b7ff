import type { Translate } from './page-language.js';

/**
 * react-select, inside the design system's Select and SelectAsync (every select AdminJS draws:
 * filters, enum and reference fields, yes/no), speaks English: «Select...», «No options», and to a
 * screen reader «3 results available», «Use Up and Down to choose options…», «option X, selected.».
 * Its props for these texts are given here as the two components' defaultProps. That reaches every
 * select without replacing the half-dozen AdminJS components that draw one; it relies on the design
 * system passing unknown props on to react-select (checked by test/unit/adminjs-internals-language.test.ts,
 * which renders the components, and by the browser test on the real page).
 */
interface Guidance {
  context: 'menu' | 'input' | 'value';
  isSearchable?: boolean;
  isMulti?: boolean;
  tabSelectsValue?: boolean;
  isInitialFocus?: boolean;
}
interface Change {
  action: string;
  label?: string;
  labels?: readonly string[];
  isDisabled?: boolean | null;
}
interface Focus {
  context: 'menu' | 'value';
  focused: unknown;
  options?: readonly unknown[];
  selectValue?: readonly unknown[];
  label?: string;
  isDisabled?: boolean;
  isSelected?: boolean;
  isAppleDevice?: boolean;
}

export function selectTexts(t: Translate) {
  const position = (list: readonly unknown[] | undefined, item: unknown) => ({ position: (list?.indexOf(item) ?? 0) + 1, total: list?.length ?? 0 });
  return {
    placeholder: t('select_placeholder'),
    noOptionsMessage: () => t('select_noOptions'),
    loadingMessage: () => t('select_loading'),
    screenReaderStatus: ({ count }: { count: number }) => t('select_results', { count }),
    ariaLiveMessages: {
      guidance: ({ context, isSearchable, isMulti, tabSelectsValue, isInitialFocus }: Guidance) => {
        if (context === 'menu') return [t('select_guidanceMenu'), tabSelectsValue ? t('select_guidanceTab') : ''].filter(Boolean).join(' ');
        if (context === 'value') return t('select_guidanceValue');
        if (!isInitialFocus) return '';
        return [t(isSearchable ? 'select_guidanceSearch' : 'select_guidanceOpen'), isMulti ? t('select_guidanceMulti') : ''].filter(Boolean).join(' ');
      },
      onChange: ({ action, label = '', labels = [], isDisabled }: Change) => {
        if (action === 'deselect-option' || action === 'pop-value' || action === 'remove-value') return t('select_deselected', { label });
        if (action === 'clear') return t('select_cleared');
        if (action === 'initial-input-focus') return t('select_selected', { label: labels.join(', ') });
        if (action === 'select-option') return t(isDisabled ? 'select_disabled' : 'select_selected', { label });
        return '';
      },
      onFocus: ({ context, focused, options, selectValue, label = '', isDisabled, isSelected, isAppleDevice }: Focus) => {
        if (context === 'value' && selectValue) return t('select_valueFocused', { label, ...position(selectValue, focused) });
        // Other screen readers read the focused option themselves; VoiceOver needs it said.
        if (context === 'menu' && isAppleDevice) {
          return t(isDisabled ? 'select_optionDisabled' : isSelected ? 'select_optionSelected' : 'select_option', { label, ...position(options, focused) });
        }
        return '';
      },
      onFilter: ({ inputValue, resultsMessage }: { inputValue: string; resultsMessage: string }) =>
        inputValue ? t('select_resultsFor', { results: resultsMessage, input: inputValue }) : t('select_resultsAll', { results: resultsMessage }),
    },
  };
}

type WithDefaults = { defaultProps?: Record<string, unknown> };

/** The design system's Select and SelectAsync, given the texts as defaults (a prop given by AdminJS still wins). */
export function localiseSelects(components: WithDefaults[], t: Translate): void {
  const texts = selectTexts(t);
  for (const component of components) component.defaultProps = { ...component.defaultProps, ...texts };
}
