/** Entry point: mounts the app. */
import { render } from 'preact';
import { App } from './app.js';
import { registerServiceWorker } from './lib/push-registration.js';
import './styles.css';
import './formatted-text.css';
import './reactions.css';
import './threads.css';
import './mentions-pins.css';
import './search.css';
import './attachments.css';
import './notifications.css';
import './integrations.css';
import './profiles.css';
import './invites.css';
import './sso.css';
import './admin.css';
import './roles-blocks.css';
import './reports.css';
import './retention.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
