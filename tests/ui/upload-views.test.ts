// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, nextTick } from 'vue';
import type { HealthAnswer, UploadReportAnswer, UploadStatusAnswer } from '../../src/contract/host-api.js';
import AppBanner from '../../src/ui/components/AppBanner.vue';
import UploadPanel from '../../src/ui/components/UploadPanel.vue';
import UploadPreflight from '../../src/ui/components/UploadPreflight.vue';
import UploadProgress from '../../src/ui/components/UploadProgress.vue';
import UploadReport from '../../src/ui/components/UploadReport.vue';
import UploadWorkspace from '../../src/ui/components/UploadWorkspace.vue';
import { createAppI18n } from '../../src/ui/i18n.js';
import { printElement } from '../../src/ui/print.js';
import { useHealthStore } from '../../src/ui/stores/health.js';
import { useNavStore } from '../../src/ui/stores/nav.js';
import { useUploadStore } from '../../src/ui/stores/upload.js';
import { useUploadReasonText } from '../../src/ui/upload-text.js';
import type { PreflightAnswer } from '../../src/contract/host-api.js';
import { REASON_STATUS } from '../../src/contract/reasons.js';
import { mountWith } from './helpers.js';
import {
  healthAnswer,
  NOW,
  preflightAnswer,
  reportAnswer,
  runRecord,
  statusAnswer,
  UPLOAD_ID,
} from './upload-fixtures.js';

vi.mock('../../src/ui/print.js', () => ({ printElement: vi.fn() }));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
  vi.mocked(printElement).mockClear();
});

const manager = { id: 'marta', name: 'Marta', role: 'manager' as const };
const cashier = { id: 'ana', name: 'Ana', role: 'cashier' as const };

interface State {
  health?: HealthAnswer;
  preflight?: PreflightAnswer | null;
  status?: UploadStatusAnswer | null;
  report?: UploadReportAnswer | null;
  user?: typeof manager | typeof cashier;
}

function mountUpload(component: Parameters<typeof mountWith>[0], state: State = {}) {
  return mountWith(component, {
    pinia: {
      initialState: {
        health: { health: state.health ?? healthAnswer() },
        session: { user: state.user ?? manager, token: 't' },
        upload: {
          open: true,
          preflight: state.preflight ?? null,
          status: state.status ?? null,
          report: state.report ?? null,
        },
      },
    },
  });
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const cellsOf = (wrapper: ReturnType<typeof mountUpload>['wrapper'], testId: string) =>
  wrapper
    .get(`[data-testid="${testId}"]`)
    .findAll('td')
    .map((td) => squash(td.text()));

describe('the review before uploading (preflight)', () => {
  it('shows per terminal what it holds, what is pending, its numbering and when it was seen', () => {
    const { wrapper } = mountUpload(UploadPreflight, { preflight: preflightAnswer() });
    expect(cellsOf(wrapper, 'preflight-row-caja-1')).toEqual([
      'Caja 1 C1',
      '1.050',
      '2',
      '10',
      '1.042',
      '$ 8.400.000',
      '$ 8.300.000',
      'C1-1 – C1-1053',
      'faltan 3',
      'conectada',
    ]);
    const caja2 = cellsOf(wrapper, 'preflight-row-caja-2');
    expect(caja2[8]).toMatch(/^completa\s*1 reservado sin emitir$/);
    expect(caja2[9]).toBe('esta caja');
    expect(cellsOf(wrapper, 'preflight-row-caja-3').at(-1)).toBe('vista a las 14:05');
    expect(cellsOf(wrapper, 'preflight-total').slice(0, 5)).toEqual([
      'Total tienda',
      '1.390',
      '2',
      '10',
      '1.382',
    ]);
  });

  it('says its warnings in Spanish, with the store’s time, and that one may upload anyway', () => {
    const { wrapper } = mountUpload(UploadPreflight, { preflight: preflightAnswer() });
    const warnings = wrapper.findAll('[data-testid="preflight-warning"]').map((w) => squash(w.text()));
    expect(warnings).toEqual([
      'Caja 3 no está conectada desde las 14:05: sus ventas posteriores no se subirán',
      'faltan los números C1-1045–C1-1047 de Caja 1',
    ]);
    expect(wrapper.get('[data-testid="preflight-warnings"]').text()).toContain('Puede subir igual');
  });

  it('says a terminal never seen, a single missing number, and a day that is not today', () => {
    const preflight = preflightAnswer({
      warnings: [
        { kind: 'terminal-not-seen', terminalId: 'caja-3', since: null, message: '' },
        { kind: 'terminal-not-seen', terminalId: 'caja-2', since: '2026-11-27T20:30:00Z', message: '' },
        { kind: 'missing-numbers', terminalId: 'caja-1', from: 'C17', to: 'C17', message: '' },
      ],
    });
    const { wrapper } = mountUpload(UploadPreflight, { preflight });
    expect(wrapper.findAll('[data-testid="preflight-warning"]').map((w) => squash(w.text()))).toEqual([
      'Caja 3 no está conectada: las ventas que esta caja no ha recibido de ella no se subirán',
      'Caja 2 no está conectada desde el 27/11/2026 a las 15:30: sus ventas posteriores no se subirán',
      'falta el número C1-7 de Caja 1',
    ]);
  });

  it('uploads what is pending with one button; with nothing pending it says so and cannot', async () => {
    const { wrapper } = mountUpload(UploadPreflight, { preflight: preflightAnswer() });
    const start = wrapper.get('[data-testid="upload-start"]');
    expect(squash(start.text())).toBe('Subir 1.382 documentos');
    await start.trigger('click');
    expect(useUploadStore().start).toHaveBeenCalledTimes(1);
    await wrapper.get('[data-testid="upload-refresh"]').trigger('click');
    expect(useUploadStore().refreshPreflight).toHaveBeenCalledTimes(1);

    const nothing = mountUpload(UploadPreflight, {
      preflight: preflightAnswer({ pending: 0, warnings: [] }),
    }).wrapper;
    expect(nothing.get('[data-testid="upload-nothing"]').text()).toContain('Todo está en la nube');
    expect(nothing.get('[data-testid="upload-start"]').attributes('disabled')).toBeDefined();
  });

  it('hints at another terminal’s upload going on, or one that has stopped giving news', () => {
    const { wrapper } = mountUpload(UploadPreflight, {
      preflight: preflightAnswer({
        otherUploads: [
          runRecord({ id: 'a', terminalId: 'caja-1' }),
          runRecord({
            id: 'b',
            terminalId: 'caja-3',
            startedAt: '2026-11-28T12:55:00-05:00',
            updatedAt: '2026-11-28T13:00:00-05:00',
          }),
        ],
      }),
    });
    const hints = wrapper.findAll('[data-testid="upload-other-running"]').map((h) => squash(h.text()));
    expect(hints[0]).toBe(
      'caja-1 está subiendo la venta offline (Marta, 40 de 120, desde las 14:05). Puede esperar a que termine o subir igual: la nube no duplica ninguna venta.',
    );
    expect(hints[1]).toContain('caja-3 empezó a subir a las 12:55 (Marta) y no da noticias desde las 13:00');
  });

  it('warns when the cloud does not answer right now', () => {
    const { wrapper } = mountUpload(UploadPreflight, {
      preflight: preflightAnswer(),
      health: healthAnswer({ cloud: { reachable: false, checkedAt: null, reason: 'cloud-unreachable' } }),
    });
    expect(wrapper.text()).toContain('La nube no responde ahora: la subida reintentará');
  });
});

describe('the upload going on (progress)', () => {
  it('shows n of N, percent, rate, time left, each terminal, and what the cloud answered', () => {
    const { wrapper } = mountUpload(UploadProgress, { status: statusAnswer() });
    expect(wrapper.get('[data-testid="upload-count"]').text()).toBe('40 de 120');
    expect(wrapper.text()).toContain('33 %');
    expect(squash(wrapper.get('[data-testid="upload-rate"]').text())).toBe(
      '12,5 documentos por segundo · quedan unos 7 s',
    );
    expect(cellsOf(wrapper, 'progress-row-caja-1')).toEqual(['caja-1', '', '30 de 60']);
    expect(cellsOf(wrapper, 'progress-row-caja-2')).toEqual(['caja-2', '', '10 de 60']);
    expect(wrapper.get('[data-testid="upload-created"]').text()).toBe('38');
    expect(wrapper.get('[data-testid="upload-duplicate"]').text()).toBe('2');
    expect(wrapper.get('[data-testid="upload-state"]').text()).toBe('En curso');
    expect(wrapper.get('[data-testid="upload-progress"]').attributes('data-state')).toBe('running');
    expect(wrapper.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('33');
    expect(wrapper.find('[data-testid="upload-last-error"]').exists()).toBe(false);
  });

  it('says minutes when the time left is long, and the retries with the cloud’s last error', () => {
    const { wrapper } = mountUpload(UploadProgress, {
      status: statusAnswer({ secondsLeft: 125, attempts: 9, lastError: 'cloud-error: HTTP 500' }),
    });
    expect(wrapper.get('[data-testid="upload-rate"]').text()).toContain('quedan unos 2 min 5 s');
    expect(squash(wrapper.get('[data-testid="upload-last-error"]').text())).toBe(
      'La nube falló y se reintentó (9 intentos en total). Último error: La nube tuvo un error. Intente más tarde.',
    );
  });

  it('cancels with its button', async () => {
    const { wrapper } = mountUpload(UploadProgress, { status: statusAnswer() });
    await wrapper.get('[data-testid="upload-cancel"]').trigger('click');
    expect(useUploadStore().cancel).toHaveBeenCalledTimes(1);
  });

  it('after a failure says it stopped, that the rest stays pending, and offers the report again', () => {
    const { wrapper, pinia } = mountUpload(UploadProgress, {
      status: statusAnswer({
        state: 'failed',
        lastError: 'cannot reach the cloud at http://x: fetch failed',
      }),
    });
    expect(wrapper.get('[data-testid="upload-state"]').text()).toBe('Detenida por un error');
    expect(squash(wrapper.get('[data-testid="upload-last-error"]').text())).toBe(
      'La subida se detuvo. cannot reach the cloud at http://x: fetch failed',
    );
    expect(wrapper.get('[data-testid="upload-stopped"]').text()).toContain('sigue pendiente');
    expect(wrapper.find('[data-testid="upload-cancel"]').exists()).toBe(false);
    expect(pinia).toBeDefined();
  });
});

describe('the report after uploading', () => {
  it('shows this run, then per terminal and for the store what the cloud holds, checked against it', () => {
    const { wrapper } = mountUpload(UploadReport, { report: reportAnswer() });
    const text = (id: string) => squash(wrapper.get(`[data-testid="${id}"]`).text());
    expect(text('upload-report-state')).toBe('Completa');
    expect(text('report-run-sent')).toBe('8 de 8');
    expect(text('report-run-created')).toBe('8');
    expect(text('report-checked-ok')).toBe('✓ Comparado con la nube: coincide.');
    expect(text('report-invoices-store')).toBe('6');
    expect(text('report-total-store')).toBe('$ 98.900');
    expect(text('report-cash-store')).toBe('$ 28.300');
    expect(text('report-credit-card-caja-2')).toBe('$ 35.000');
    expect(text('report-voids-caja-1')).toBe('1 · $ 6.900');
    expect(text('report-numbers-caja-1')).toBe('C11 – C14 (4)');
    expect(text('report-numbers-store')).toBe('7');
    const table = squash(wrapper.get('[data-testid="report-table"]').text());
    expect(table).toContain('IVA 19 %');
    expect(table).toContain('INC 8 %');
    expect(table).toContain('Excluido de IVA');
    expect(text('report-tips-caja-2')).toBe('$ 3.000');
    expect(text('report-tips-store')).toBe('$ 3.000');
    expect(text('report-rejected')).toContain('La nube no rechazó nada');
    expect(wrapper.text()).toContain(
      'La Esquina · subida desde Caja 2 por Marta · 28/11/2026, 14:05 – 14:06',
    );
  });

  it('[DIAN1] says where the documents are with the DIAN, and lists what it rejected with the reason', () => {
    const ok = mountUpload(UploadReport, { report: reportAnswer() }).wrapper;
    expect(squash(ok.get('[data-testid="report-dian-counts"]').text())).toBe(
      'Transmitidos: 8 · Pendientes: 0 · Rechazados: 0',
    );
    expect(ok.find('[data-testid="report-dian-rejected"]').exists()).toBe(false);
    const { wrapper } = mountUpload(UploadReport, {
      report: reportAnswer({
        dian: {
          pending: 2,
          transmitted: 5,
          rejected: [
            {
              id: 'i9',
              kind: 'invoice',
              number: 'C13',
              terminalId: 'caja-1',
              reason: 'FAD06: el número no corresponde a la resolución',
              at: '2026-11-28T19:07:00.000Z',
            },
          ],
        },
      }),
    });
    expect(squash(wrapper.get('[data-testid="report-dian-counts"]').text())).toBe(
      'Transmitidos: 5 · Pendientes: 2 · Rechazados: 1',
    );
    const row = wrapper
      .get('[data-testid="dian-rejected-C13"]')
      .findAll('td')
      .map((td) => td.text());
    expect(row).toEqual(['C13', 'caja-1', 'Factura', 'FAD06: el número no corresponde a la resolución']);
    expect(wrapper.text()).toContain('vuelva a abrir el reporte');
    const unknown = mountUpload(UploadReport, { report: reportAnswer({ dian: null }) }).wrapper;
    expect(unknown.get('[data-testid="report-dian-unknown"]').text()).toContain('no informó');
  });

  it('lists the rejected items with their reasons in Spanish, and any difference with the cloud', () => {
    const { wrapper } = mountUpload(UploadReport, {
      report: reportAnswer({
        run: statusAnswer({
          state: 'done',
          rejected: [
            {
              id: 'i1',
              number: 'C17',
              terminalId: 'caja-1',
              kind: 'invoice',
              status: 'conflict',
              reason: 'number-taken',
              message: 'C17 is already stored as sale x',
            },
            {
              id: 'i2',
              number: 'C18',
              terminalId: 'caja-1',
              kind: 'credit-note',
              status: 'rejected',
              reason: 'brand-new-reason',
              message: 'something new',
            },
          ],
        }),
        differences: { missingInCloud: ['i9'], unknownHere: [] },
      }),
    });
    expect(cellsOf(wrapper, 'rejected-C17')).toEqual([
      'C17',
      'caja-1',
      'Factura',
      'La nube ya tiene otra venta con ese número.',
      'C17 is already stored as sale x',
    ]);
    expect(cellsOf(wrapper, 'rejected-C18').slice(2, 4)).toEqual([
      'Anulación',
      'La nube respondió con un error (código: brand-new-reason).',
    ]);
    expect(wrapper.get('[data-testid="report-run-rejected"]').text()).toBe('2');
    const differences = squash(wrapper.get('[data-testid="report-differences"]').text());
    expect(differences).toContain('Comparado con la nube: hay diferencias.');
    expect(differences).toContain('Confirmados aquí pero no en la nube (1): i9');
  });

  it('says when it could not check against the cloud', () => {
    const { wrapper } = mountUpload(UploadReport, {
      report: reportAnswer({ checkedAgainstCloud: false }),
    });
    expect(wrapper.get('[data-testid="report-not-checked"]').text()).toContain('No se pudo comparar');
  });

  it('prints the store’s report, or one terminal’s column alone', async () => {
    let printed = '';
    vi.mocked(printElement).mockImplementation((el: HTMLElement) => {
      printed = el.outerHTML;
    });
    const { wrapper } = mountUpload(UploadReport, { report: reportAnswer() });
    await wrapper.get('[data-testid="upload-print"]').trigger('click');
    expect(printElement).toHaveBeenCalledTimes(1);
    expect(printed).toContain('Informe de subida de venta offline');
    expect(printed).toContain('report-total-store');
    expect(printed).not.toContain('upload-print');
    await wrapper.get('[data-testid="upload-print-caja-1"]').trigger('click');
    expect(printed).toContain('report-total-caja-1');
    expect(printed).not.toContain('report-total-caja-2');
    expect(printed).not.toContain('report-total-store');
    // The screen shows every column again.
    expect(wrapper.find('[data-testid="report-total-store"]').exists()).toBe(true);
  });

  it('reviews what is left with its button', async () => {
    const { wrapper } = mountUpload(UploadReport, { report: reportAnswer() });
    await wrapper.get('[data-testid="upload-review-again"]').trigger('click');
    expect(useUploadStore().reviewAgain).toHaveBeenCalledTimes(1);
  });
});

describe('the upload screen and Caja’s entry card', () => {
  it('shows the step the upload is at, and goes back to Caja', async () => {
    const review = mountUpload(UploadWorkspace, { preflight: preflightAnswer() }).wrapper;
    expect(review.get('[data-testid="upload-screen"]').attributes('data-step')).toBe('review');
    expect(review.find('[data-testid="upload-preflight"]').exists()).toBe(true);
    expect(review.get('[aria-current="step"]').text()).toContain('Revisar');
    await review.get('[data-testid="upload-back"]').trigger('click');
    expect(useUploadStore().close).toHaveBeenCalledTimes(1);
    const sending = mountUpload(UploadWorkspace, { status: statusAnswer() }).wrapper;
    expect(sending.find('[data-testid="upload-progress"]').exists()).toBe(true);
    const report = mountUpload(UploadWorkspace, { status: statusAnswer(), report: reportAnswer() }).wrapper;
    expect(report.find('[data-testid="upload-report"]').exists()).toBe(true);
  });

  it('says the cloud answers again and suggests the upload; opens the review', async () => {
    const { wrapper } = mountUpload(UploadPanel, {
      health: healthAnswer({ warnings: ['cloud-back-upload-pending'] }),
    });
    expect(wrapper.get('[data-testid="upload-cloud-back"]').text()).toBe(
      'La nube responde de nuevo: suba la venta offline.',
    );
    expect(useUploadStore().adopt).toHaveBeenCalled();
    await wrapper.get('[data-testid="upload-review"]').trigger('click');
    expect(useUploadStore().review).toHaveBeenCalledTimes(1);
  });

  it('says when the cloud does not answer', () => {
    const { wrapper } = mountUpload(UploadPanel, {
      health: healthAnswer({
        cloud: { reachable: false, checkedAt: '2026-11-28T19:09:00Z', reason: 'cloud-unreachable' },
      }),
    });
    expect(wrapper.get('[data-testid="upload-cloud-down"]').text()).toContain(
      'La nube no responde (revisado a las 14:09)',
    );
  });

  it('says the cloud’s state once: a "no connection" refusal is not repeated under "no responde" or "responde de nuevo"', async () => {
    const down = healthAnswer({
      cloud: { reachable: false, checkedAt: '2026-11-28T19:09:00Z', reason: 'cloud-unreachable' },
    });
    const { wrapper } = mountUpload(UploadPanel, { health: down });
    const upload = useUploadStore();
    upload.open = false;
    upload.error = { action: 'preflight', reason: 'cloud-unreachable' };
    await nextTick();
    expect(wrapper.find('[data-testid="upload-cloud-down"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(false);
    useHealthStore().health = healthAnswer({ warnings: ['cloud-back-upload-pending'] });
    await nextTick();
    expect(wrapper.find('[data-testid="upload-cloud-back"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(false);
    // Another refusal is still said.
    upload.error = { action: 'preflight', reason: 'forbidden' };
    await nextTick();
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(true);
  });

  it('on a cashier’s screen, shows this terminal’s upload going on and lets a manager follow it', async () => {
    const { wrapper } = mountUpload(UploadPanel, {
      user: cashier,
      health: healthAnswer({ uploads: [runRecord(), runRecord({ id: 'o', terminalId: 'caja-1' })] }),
    });
    expect(squash(wrapper.get('[data-testid="upload-own-running"]').text())).toBe(
      'Esta caja está subiendo la venta offline (40 de 120). Un gerente puede ver el progreso.',
    );
    expect(wrapper.get('[data-testid="upload-other-running"]').text()).toContain('caja-1 está subiendo');
    expect(wrapper.find('[data-testid="upload-review"]').exists()).toBe(false);
    await wrapper.get('[data-testid="upload-follow"]').trigger('click');
    expect(useUploadStore().follow).toHaveBeenCalledWith(UPLOAD_ID);
  });
});

describe('a stopped upload', () => {
  it('says why it stopped in its report, not only "Detenida por un error"', () => {
    const report = reportAnswer();
    const { wrapper } = mountUpload(UploadReport, {
      report: {
        ...report,
        run: { ...report.run, state: 'failed', lastError: 'cloud-unreachable: fetch failed' },
      },
    });
    expect(wrapper.get('[data-testid="upload-report-state"]').text()).toBe('Detenida por un error');
    expect(squash(wrapper.get('[data-testid="upload-report-cause"]').text())).toBe(
      'No hay conexión con la nube. Intente más tarde. fetch failed',
    );
  });
});

describe('the banner', () => {
  it('suggests the upload when the cloud answers again, and opens Caja', async () => {
    const { wrapper } = mountUpload(AppBanner, {
      health: healthAnswer({ warnings: ['cloud-back-upload-pending'] }),
    });
    const pill = wrapper.get('[data-testid="banner-cloud-back"]');
    expect(pill.text()).toBe('☁ Subir a la nube');
    expect(pill.attributes('title')).toBe('La nube responde de nuevo: suba la venta offline (Caja)');
    await pill.trigger('click');
    expect(useNavStore().go).toHaveBeenCalledWith('caja');
  });

  it('shows an upload going on in the store instead, and nothing for a run a crash left behind', () => {
    const { wrapper } = mountUpload(AppBanner, {
      health: healthAnswer({ warnings: ['cloud-back-upload-pending'], uploads: [runRecord()] }),
    });
    expect(wrapper.get('[data-testid="banner-uploading"]').text()).toBe('Subiendo: 33 %');
    expect(wrapper.find('[data-testid="banner-cloud-back"]').exists()).toBe(false);
    const stale = mountUpload(AppBanner, {
      health: healthAnswer({ uploads: [runRecord({ updatedAt: '2026-11-28T13:00:00-05:00' })] }),
    }).wrapper;
    expect(stale.find('[data-testid="banner-uploading"]').exists()).toBe(false);
  });
});

describe('messages of the upload, one place', () => {
  const root = join(import.meta.dirname, '../..');
  const read = (path: string) => readFileSync(join(root, path), 'utf8');

  /** The reasons the reference cloud gives for an item it did not store. */
  function cloudItemReasons(): string[] {
    const reasons = new Set<string>();
    for (const m of read('src/cloud/ingest.ts').matchAll(/'(?:rejected|conflict)',\s*'([a-z-]+)'/g))
      reasons.add(m[1] ?? '');
    for (const union of read('src/domain/invoice-check.ts').matchAll(/type InvoiceCheckReason =([^;]+);/g))
      for (const m of (union[1] ?? '').matchAll(/'([a-z-]+)'/g)) reasons.add(m[1] ?? '');
    reasons.delete('');
    return [...reasons].sort();
  }

  /** The reasons the upload routes answer with: every reason of the host's contract. */
  function routeReasons(): string[] {
    return Object.keys(REASON_STATUS).sort();
  }

  it('finds the reasons (sanity of the scan)', () => {
    expect(cloudItemReasons()).toEqual(
      expect.arrayContaining(['number-taken', 'already-voided', 'totals-mismatch']),
    );
    expect(routeReasons()).toEqual(
      expect.arrayContaining([
        'unknown-upload',
        'upload-running',
        'invalid-path',
        'manager-required',
        'cloud-timeout',
      ]),
    );
  });

  for (const locale of ['es-CO', 'en'] as const) {
    it(`has a specific ${locale} message for every reason of the upload routes and of the cloud's answers`, () => {
      let reasonText: (reason: string) => string = () => '';
      const Probe = defineComponent({
        setup() {
          reasonText = useUploadReasonText();
          return () => null;
        },
      });
      const i18n = createAppI18n(locale);
      mountWith(Probe);
      // mountWith uses Spanish; check the locale asked for with its own i18n too.
      const generic = (reason: string) => [
        i18n.global.t('errors.generic', { reason }),
        i18n.global.t('upload.reasons.unknown', { reason }),
      ];
      expect(i18n.global.te('upload.reasons.cancelled', locale)).toBe(true);
      for (const reason of routeReasons()) {
        expect({ reason, has: i18n.global.te(`errors.${reason}`, locale) }).toEqual({ reason, has: true });
      }
      for (const reason of cloudItemReasons()) {
        const known =
          i18n.global.te(`upload.reasons.${reason}`, locale) || i18n.global.te(`errors.${reason}`, locale);
        expect({ reason, known }).toEqual({ reason, known: true });
        if (locale === 'es-CO') expect(generic(reason)).not.toContain(reasonText(reason));
      }
    });
  }
});
