import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/**
 * Shows the dialog as a modal while the component is mounted: the page behind it is inert, so
 * focus stays inside, and Escape cancels. When it goes, focus goes back to what had it before:
 * the dialog is removed rather than closed, which would leave focus nowhere.
 */
export function useModal(dialog: RefObject<HTMLDialogElement | null>): void {
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    return () => {
      element?.close();
      opener?.focus();
    };
  }, []);
}
