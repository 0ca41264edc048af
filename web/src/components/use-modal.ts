import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

/**
 * Shows the dialog as a modal while the component is mounted: the page behind it is inert, so
 * focus stays inside, and Escape cancels. When it goes, focus goes back to what had it before:
 * the dialog is removed rather than closed, which would leave focus nowhere. A layout effect,
 * as Preact runs a passive effect's cleanup only after the next paint, once the dialog's nodes
 * are gone: focus sat on the body until then.
 */
export function useModal(dialog: RefObject<HTMLDialogElement | null>): void {
  useLayoutEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    return () => {
      element?.close();
      opener?.focus();
    };
  }, []);
}
