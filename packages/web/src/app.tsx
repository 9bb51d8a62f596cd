/** Logged out: the sign-in screen. Logged in: the chat, for as long as the token works. */
import { useEffect, useState } from 'preact/hooks';
import { clearAuth, loadAuth, onAuthChange, saveAuth, type StoredAuth } from './lib/auth-storage.js';
import { AuthScreen } from './components/auth-screen.js';
import { ChatScreen } from './components/chat-screen.js';
import { loadLimits } from './lib/limits.js';

export function App() {
  const [auth, setAuth] = useState<StoredAuth | null>(loadAuth);
  useEffect(() => onAuthChange(setAuth), []);
  useEffect(() => loadLimits(location.origin), []);

  if (!auth) {
    return (
      <AuthScreen
        onAuthenticated={(next) => {
          saveAuth(next);
          setAuth(next);
        }}
      />
    );
  }
  return (
    <ChatScreen
      key={auth.token}
      auth={auth}
      onSignedOut={() => {
        clearAuth();
        setAuth(null);
      }}
    />
  );
}
