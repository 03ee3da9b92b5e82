import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { AuthAppContext } from './auth-app.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const api = window.authApp;
root.render(
  <StrictMode>
    {api ? (
      <AuthAppContext.Provider value={api}>
        <App />
      </AuthAppContext.Provider>
    ) : (
      <main className="standalone-notice">
        <h1>Entra ID desktop sample</h1>
        <p>This page is the desktop app's window. Start the app with <code>npm start</code> instead of opening it in a browser.</p>
      </main>
    )}
  </StrictMode>,
);
