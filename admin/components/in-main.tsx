/** ResourceRoute, RouteWrapper and DashboardRoute inside a <main> landmark: see main-landmark.tsx. */
export { InMain as default } from './main-landmark.js';
