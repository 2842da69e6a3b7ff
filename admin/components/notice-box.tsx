import { Box, Button, MessageBox } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import React, { useEffect } from 'react';
import { useDispatch, useSelector } from 'react-redux';

type Notice = { id: string; message: string; type?: 'success' | 'error' | 'info'; options?: Record<string, unknown>; resourceId?: string; body?: React.ReactNode };

const drop = (noticeId: string) => ({ type: 'DROP_NOTICE', data: { noticeId } });

/**
 * AdminJS's notices («Muutokset tallennettu», what an action did), in place of its NoticeBox
 * (componentLoader.override, admin/components/loader.ts), so that everyone can read them:
 * - they are announced: the region is always on the page (aria-live), an error is an alert;
 * - they stay until closed or replaced (AdminJS's vanish after 3 seconds: too fast for someone
 *   reading slowly or with a magnifier, WCAG 2.2.1), and the close button has a visible name;
 * - only the newest shows: a red «Lomakkeessa on virheitä» is gone once the next save succeeds.
 */
const NoticeBox: React.FC = () => {
  const notices = useSelector((state: { notices: Notice[] }) => state.notices);
  const dispatch = useDispatch();
  const { translateMessage: tm, translateButton: tb } = useTranslation();
  useEffect(() => {
    for (const older of notices.slice(0, -1)) dispatch(drop(older.id));
  }, [notices.length]);
  const notice = notices.at(-1);
  const error = notice?.type === 'error';
  return (
    <div aria-live="polite" data-css="notice-wrapper">
      {notice ? (
        <Box p="sm" role={error ? 'alert' : undefined}>
          <MessageBox style={{ minWidth: '320px' }} message={tm(notice.message, notice.resourceId, notice.options)} variant={error ? 'danger' : (notice.type ?? 'info')}>
            {notice.body}
            <Button type="button" size="sm" variant="outlined" mt="sm" onClick={() => dispatch(drop(notice.id))}>
              {tb('closeNotice')}
            </Button>
          </MessageBox>
        </Box>
      ) : null}
    </div>
  );
};

export default NoticeBox;
