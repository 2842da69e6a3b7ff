import { Box, Button, H3, Icon } from '@adminjs/design-system';
import { styled } from '@adminjs/design-system/styled-components';
import React, { useEffect, useId, useRef } from 'react';
import { useTranslation } from '../adminjs-internals/frontend.js';
import { focusPageStart } from './page-focus.js';
import { themed } from '../adminjs-internals/styled.js';

export type ActionDialogProps = {
  title: string;
  children?: React.ReactNode;
  /** The confirming button's text; none when the action cannot be done (the dialog only says why). */
  confirmLabel?: string;
  onConfirm?: () => void;
  onClose: () => void;
  busy?: boolean;
};

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A confirmation, in place of AdminJS's (a box without a dialog role, focus left behind it, an
 * unnamed ×, «Peruuta»/«Vahvista» drawn by CSS). A native modal <dialog>: the page behind it is
 * inert, Esc closes it. Focus moves to «Peruuta» when it opens (the safe choice), stays within the
 * dialog (Tab from the last control goes to the first), and returns to whatever opened it when it
 * closes, or to the page's heading when that is gone.
 */
const ActionDialog: React.FC<ActionDialogProps> = ({ title, children, confirmLabel, onConfirm, onClose, busy }) => {
  const { translateButton } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(document.activeElement);
  const id = useId();

  useEffect(() => {
    const element = dialog.current!;
    element.showModal();
    cancel.current?.focus();
    return () => {
      element.close();
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
      else focusPageStart();
    };
  }, []);

  const trapTab = (event: React.KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const controls = Array.from(dialog.current!.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = controls[0];
    const last = controls.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  // A modal <dialog> is drawn above the page (the top layer) wherever it sits in the document.
  return (
    <Dialog
      ref={dialog}
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={children ? `${id}-body` : undefined}
      onKeyDown={trapTab}
      // Esc: the browser would close the <dialog> by itself; React's state closes it instead.
      onCancel={(event: React.SyntheticEvent) => {
        event.preventDefault();
        onClose();
      }}
      // A click on the backdrop (outside the dialog's box) closes it, as AdminJS's overlay did.
      onClick={(event: React.MouseEvent) => event.target === dialog.current && onClose()}
    >
      <Box flex justifyContent="space-between" alignItems="flex-start">
        <H3 id={`${id}-title`} mb="lg" mr="lg">{title}</H3>
        <Button type="button" variant="text" size="icon" onClick={onClose} aria-label={translateButton('closeDialog')}>
          <Icon icon="X" />
        </Button>
      </Box>
      {children ? <Box id={`${id}-body`} mb="xl">{children}</Box> : null}
      <Box flex justifyContent="flex-end" style={{ gap: '16px', flexWrap: 'wrap' }}>
        <Button ref={cancel} type="button" variant="outlined" onClick={onClose}>
          {translateButton(confirmLabel ? 'cancel' : 'closeDialog')}
        </Button>
        {confirmLabel ? (
          <Button type="button" variant="contained" disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        ) : null}
      </Box>
    </Dialog>
  );
};

const Dialog = styled.dialog`
  width: min(560px, calc(100vw - 32px));
  padding: ${themed((theme) => theme.space.xxl)};
  border: 0;
  border-radius: 8px;
  background: ${themed((theme) => theme.colors.white)};
  color: ${themed((theme) => theme.colors.text)};
  font-family: ${themed((theme) => theme.font)};
  box-shadow: 0 8px 32px rgba(0, 0, 0, 0.3);
  &::backdrop { background: rgba(12, 30, 41, 0.6); }
`;

export default ActionDialog;
