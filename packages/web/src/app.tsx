/** Logged out: the sign-in screen. Logged in: the chat, for as long as the token works. */
import { useEffect, useState } from 'preact/hooks';
import { clearAuth, loadAuth, onAuthChange, saveAuth, type StoredAuth } from './lib/auth-storage.js';
import { AuthScreen } from './components/auth-screen.js';
import { ChatScreen } from './components/chat-screen.js';
import { loadLimits } from './lib/limits.js';
import { signedOutNotice } from './lib/session-end.js';

export function App() {
  const [auth, setAuth] = useState<StoredAuth | null>(loadAuth);
  // Why the chat closed on its own (a deactivated account), said on the sign-in screen.
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => onAuthChange(setAuth), []);
  useEffect(() => loadLimits(location.origin), []);

  if (!auth) {
    return (
      <AuthScreen
        notice={notice}
        onAuthenticated={(next) => {
          saveAuth(next);
          setNotice(null);
          setAuth(next);
        }}
      />
    );
  }
  return (
    <ChatScreen
      key={auth.token}
      auth={auth}
      onSignedOut={(end) => {
        clearAuth();
        setNotice(signedOutNotice(end));
        setAuth(null);
      }}
    />
  );
}
