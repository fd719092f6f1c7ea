// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import PinPad from '../../src/ui/components/PinPad.vue';
import { useSessionStore } from '../../src/ui/stores/session.js';
import LoginView from '../../src/ui/views/LoginView.vue';
import { mountWith, settle } from './helpers.js';

const USERS = [
  { id: 'ana', name: 'Ana', role: 'cashier' },
  { id: 'marta', name: 'Marta', role: 'manager' },
];

describe('PIN pad', () => {
  it('types digits, clears, and submits', async () => {
    const { wrapper } = mountWith(PinPad, { props: { modelValue: '12' } });
    await wrapper.get('[data-testid="pin-key-7"]').trigger('click');
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['127']);
    await wrapper.get('[data-testid="pin-clear"]').trigger('click');
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['']);
    await wrapper.get('[data-testid="pin-ok"]').trigger('click');
    expect(wrapper.emitted('submit')).toHaveLength(1);
  });

  it('stops at the maximum length and cannot submit an empty PIN', async () => {
    const { wrapper } = mountWith(PinPad, { props: { modelValue: '1234', maxLength: 4 } });
    await wrapper.get('[data-testid="pin-key-5"]').trigger('click');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    await wrapper.setProps({ modelValue: '' });
    expect(wrapper.get('[data-testid="pin-ok"]').attributes('disabled')).toBeDefined();
  });

  it('uses its own test ids with a prefix (the manager dialog)', () => {
    const { wrapper } = mountWith(PinPad, { props: { modelValue: '', idPrefix: 'manager-pin-pad' } });
    expect(wrapper.find('[data-testid="manager-pin-pad-key-0"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="pin-key-0"]').exists()).toBe(false);
  });
});

describe('login screen', () => {
  it('shows the users, takes the PIN from the pad and logs the chosen user in', async () => {
    const { wrapper } = mountWith(LoginView, { pinia: { initialState: { session: { users: USERS } } } });
    const session = useSessionStore();
    const calls: unknown[] = [];
    session.login = (user: string, pin: string) => {
      calls.push([user, pin]);
      return Promise.resolve(true);
    };
    await wrapper.get('[data-testid="login-user-ana"]').trigger('click');
    for (const d of '1234') await wrapper.get(`[data-testid="pin-key-${d}"]`).trigger('click');
    await wrapper.get('[data-testid="pin-ok"]').trigger('click');
    expect(calls).toEqual([['ana', '1234']]);
  });

  it('accepts the PIN typed on the keyboard and Enter', async () => {
    const { wrapper } = mountWith(LoginView, { pinia: { initialState: { session: { users: USERS } } } });
    const session = useSessionStore();
    const calls: unknown[] = [];
    session.login = (user: string, pin: string) => {
      calls.push([user, pin]);
      return Promise.resolve(false);
    };
    await wrapper.get('[data-testid="login-user-marta"]').trigger('click');
    const input = wrapper.get('input[type="password"]');
    await input.setValue('99a99');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(calls).toEqual([['marta', '9999']]);
    expect((input.element as HTMLInputElement).value).toBe('');
  });

  it('shows the wrong-PIN and lockout messages in Spanish', async () => {
    const { wrapper } = mountWith(LoginView, { pinia: { initialState: { session: { users: USERS } } } });
    const session = useSessionStore();
    await wrapper.get('[data-testid="login-user-ana"]').trigger('click');
    session.loginError = 'invalid-pin';
    await settle();
    expect(wrapper.get('[data-testid="login-error"]').text()).toBe('PIN incorrecto.');
    session.loginError = 'too-many-attempts';
    await settle();
    expect(wrapper.get('[data-testid="login-error"]').text()).toMatch(/Demasiados PIN incorrectos/);
    session.loginRetryAfterSeconds = 27;
    await settle();
    expect(wrapper.get('[data-testid="login-error"]').text()).toMatch(/Intente de nuevo en 27 s\.$/);
  });
});
